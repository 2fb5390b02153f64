"""The written sections of the demo's review draft at 2022-12-31, for `seed_demo`.

Saved through the drafting service, so each section has a history. Idempotent:
a section that already has text is left alone. Figures in braces are filled in
from the data at the cut-off (reporting.figures)."""

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext

from deliverables.models import Plan
from reporting.drafting import section_save
from reporting.models import DraftSection, ReviewDraft

CUT_OFF = datetime.date(2022, 12, 31)

SECTIONS = {
    "introduction": (
        "The implementation plan was adopted as development cooperation was turning to a human-centred "
        "recovery from the COVID-19 pandemic (GB.341/POL/4, paragraph 4). Two years on, the context has "
        "changed again: the reform of the United Nations development system has moved more of the "
        "programming with constituents into UN Cooperation Frameworks, and funding partners have asked "
        "for *integrated* programmes and lighter earmarking.\n\n"
        "This review was prepared with the regional offices and the departments at headquarters that "
        "lead deliverables, and discussed with the secretariats of the Employers' and Workers' "
        "groups.[^Consultations held in November and December 2022.] It is meant to be read with the "
        "programme implementation report for 2020–21, which reports on the results of development "
        "cooperation across the Office's programme."
    ),
    "strategy": (
        "Two years into the Strategy, its four focus areas remain relevant. The COVID-19 pandemic "
        "changed the demand for development cooperation: constituents asked for faster and more flexible "
        "support, and funding partners for *integrated* programmes linking employment, social protection "
        "and the just transition.\n\n"
        "Achieved by {cut_off}: {due_by_midterm_achieved} of the {due_by_midterm} deliverables due by the "
        "end of 2023 ({due_by_midterm_achieved_share}), most of the others being due in the course of "
        "2023. Across the plan, the status at the cut-off date is: achieved, {achieved}; on track, "
        "{on_track}; at risk, {at_risk}; delayed, {delayed}. Progress has been strongest where the Office "
        "could build on existing partnerships, and slowest where it depends on voluntary funding."
    ),
    "area1_achievements": (
        "Constituents' engagement in UN programming has grown: employers' and workers' organizations took "
        "part "
        "in the design of Cooperation Frameworks in more countries than before, and decent work outcomes "
        "feature in most frameworks signed in 2022. South–South and triangular cooperation expanded, with "
        "{area1_achieved} deliverables of this focus area achieved."
    ),
    "area1_challenges": (
        "Demand for technical assistance in UN programming processes exceeds what regional specialists can "
        "provide, in particular for workers' organizations. The follow-up of capacity-development activities "
        "remains weak:\n"
        "- trainees are rarely contacted after a course;\n"
        "- results at the institutional level are seldom measured."
    ),
    "area1_lessons": (
        "Capacity development works best when it is *part of* a country programme rather than a stand-alone "
        "activity, and when the ITC-ILO is involved from the design stage."
    ),
    "area1_adjustments": (
        "In the second half, the Office will give priority to follow-up coaching after training and will "
        "measure institutional capacity outcomes through the evaluation protocol under deliverable 1.1.2."
    ),
    "area2_achievements": (
        "The ILO's place in multilateral partnerships was confirmed, notably through the Global Accelerator "
        "on "
        "Jobs and Social Protection for Just Transitions. Support to integrated national financing "
        "frameworks "
        "reached several countries, with {area2_on_track} deliverables of this focus area on track."
    ),
    "area2_challenges": (
        "Arrangements with international financial institutions take longer to conclude than planned, and "
        "constituents' involvement in regional partnerships varies from one region to another."
    ),
    "area2_lessons": (
        "Partnerships last when constituents have a defined role in their governance from the start, not "
        "only "
        "in their activities."
    ),
    "area2_adjustments": (
        "The Office will concentrate its work with international financial institutions on a small number of "
        "arrangements with clear country-level results."
    ),
    "area3_achievements": (
        "Two structured funding dialogues were held, and funding strategies for Decent Work Country "
        "Programmes "
        "were piloted. Flagship programmes continued to attract funding."
    ),
    "area3_challenges": (
        "Unearmarked and lightly earmarked funding fell in 2022, and the share of the Regular Budget "
        "Supplementary Account (RBSA) in voluntary funding is below the aim of the UN Funding Compact."
    ),
    "area3_lessons": (
        "Funding partners respond to evidence of results at country level; RBSA reporting country by country "
        "helped retain contributions."
    ),
    "area3_adjustments": (
        "The Office will extend funding strategies to more DWCPs and present a business case for investing "
        "in "
        "decent work to funding partners."
    ),
    "area4_achievements": (
        "Updated results-based management tools are in place and transparency of ILO development cooperation "
        "data improved, with {area4_achieved} deliverables of this focus area achieved."
    ),
    "area4_challenges": (
        "The tools to apply the Environmental and Social Sustainability Framework were delayed until the "
        "framework itself was adopted, and work on the business case slowed during the pandemic."
    ),
    "area4_lessons": (
        "Staff learning on partnerships and resource mobilization reaches national officers when it is "
        "offered "
        "online and in several languages."
    ),
    "area4_adjustments": (
        "The Office will pilot the hub-based technical support model in more regions and make risk registers "
        "standard for large projects."
    ),
    "way_forward": (
        "In the second half of the Strategy, the Office will:\n"
        "- give priority to the deliverables due by the end of 2023 that are delayed or at risk;\n"
        "- strengthen the follow-up of capacity development with the ITC-ILO;\n"
        "- broaden the base of unearmarked and lightly earmarked funding;\n"
        "- report on progress through the established strategic reporting, such as the programme "
        "implementation report, as the plan provides."
    ),
    "guidance": (
        "The Governing Body may wish to provide guidance on:\n"
        "1. the priority to be given to constituents' engagement in UN programming processes at country "
        "level;\n"
        "2. ways to increase unearmarked and lightly earmarked voluntary funding;\n"
        "3. the adjustments proposed for the second half of the Strategy."
    ),
    "decision": (
        "The Governing Body took note of the mid-term review of the ILO Development Cooperation Strategy "
        "2020–25 and its implementation plan contained in document GB.347/POL/3 and requested the "
        "Director-General to consider the Governing Body's guidance in the implementation of the Strategy "
        "and its plan during the second half."
    ),
}


@transaction.atomic
def seed_written_sections(*, plan: Plan, user: User, stdout=None) -> int:
    draft = ReviewDraft.objects.for_cut_off(plan, CUT_OFF)
    # The demo writes the English sections only; translations of them are left to the translators.
    english = DraftSection.objects.filter(draft=draft, language=DraftSection.SOURCE_LANGUAGE)
    written = set(english.exclude(text="").values_list("key", flat=True))
    created = 0
    for key, text in SECTIONS.items():
        if key in written:
            continue
        version = english.filter(key=key).values_list("version", flat=True).first()
        section_save(draft=draft, key=key, text=text, user=user, seen_version=version or 0)
        created += 1
    if stdout is not None:
        stdout.write(
            gettext("%(count)d written sections of the review as of %(date)s saved.")
            % {"date": CUT_OFF.isoformat(), "count": created}
        )
    return created
