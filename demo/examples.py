"""Demo progress examples for `seed_demo`: several offices in every region, every
state, with histories of returns and resubmissions. Idempotent: an example whose
(office, title) already exists is left alone."""

import datetime

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dcplan import access
from deliverables.models import Deliverable, Office, Plan, Profile
from examples.models import ExampleTransition, ProgressExample
from examples.services import ExampleInput, example_create, example_review, example_submit

# Steps after creation: "submit", ("return", comment), ("approve", comment), ("reject", reason).
RETURN_PARTNERS = (
    "return",
    "Please name the UN agencies involved and say which results were measured, "
    "and by whom. The Governing Body text needs figures we can verify.",
)
EXAMPLES = [
    # Africa
    dict(
        office="CO-ABUJA",
        countries=["NG", "GH"],
        title="Tripartite validation of Nigeria's national employment policy with UN country team support",
        started_on=(2022, 3, 1),
        ended_on=(2022, 11, 30),
        what_was_done="The Country Office supported the Federal Ministry of Labour and Employment, the "
        "Nigeria "
        "Employers' Consultative Association and the Nigeria Labour Congress in reviewing the national "
        "employment policy, drawing on the UN Common Country Analysis. Two tripartite validation workshops "
        "were held in Abuja and Lagos.",
        results="The revised policy was adopted by the Federal Executive Council; decent work priorities are "
        "reflected in the UN Sustainable Development Cooperation Framework 2023–27.",
        g=True,
        e=True,
        w=True,
        partners="UNDP, UN Resident Coordinator's Office",
        ssc=False,
        deliverables=["1.3.3", "1.3.1"],
        cite=True,
        steps=["submit", ("approve", "Clear and well documented.")],
    ),
    dict(
        office="CO-ABUJA",
        countries=["NG"],
        title="Capacity building of the Nigeria Labour Congress on development finance",
        started_on=(2023, 2, 6),
        ended_on=(2023, 2, 10),
        what_was_done="A five-day course, designed with ITC-ILO and ACTRAV, trained 28 trade union officers "
        "on "
        "integrated national financing frameworks.",
        results="The Nigeria Labour Congress submitted its first position paper on the national financing "
        "framework.",
        g=False,
        e=False,
        w=True,
        partners="ITC-ILO, ACTRAV",
        ssc=False,
        deliverables=["2.3.1"],
        cite=False,
        steps=["submit", RETURN_PARTNERS],
    ),
    dict(
        office="CO-ABUJA",
        countries=["GH", "LR", "SL"],
        title="ECOWAS peer learning on labour migration governance",
        started_on=(2023, 9, 18),
        ended_on=None,
        what_was_done="Labour ministries of Ghana, Liberia and Sierra Leone exchanged practice on bilateral "
        "labour migration agreements in a South–South peer-learning visit.",
        results="",
        g=True,
        e=False,
        w=False,
        partners="ECOWAS Commission, IOM",
        ssc=True,
        deliverables=[],
        cite=False,
        steps=[],
    ),
    dict(
        office="CO-ABUJA",
        countries=["NG"],
        title="Public–private partnership for green jobs in Lagos",
        started_on=(2021, 6, 1),
        ended_on=(2022, 5, 31),
        what_was_done="A partnership with a private foundation funded apprenticeships in solar installation.",
        results="140 young people trained; 60 % employed six months later.",
        g=False,
        e=True,
        w=False,
        partners="",
        ssc=False,
        deliverables=["2.4.1"],
        cite=False,
        steps=[
            "submit",
            (
                "reject",
                "This duplicates the example already approved from DWT-Pretoria's "
                "regional programme; please add your results to that one instead.",
            ),
        ],
    ),
    dict(
        office="CO-ABUJA",
        countries=["NG", "GH"],
        title="Joint SDG Fund programme on social protection floors",
        started_on=(2022, 1, 10),
        ended_on=(2023, 12, 31),
        what_was_done="The Office co-led a Joint SDG Fund programme with UNICEF and WFP.",
        results="Social protection floor costed and included in Ghana's medium-term budget.",
        g=True,
        e=True,
        w=True,
        partners="UNICEF, WFP, Joint SDG Fund",
        ssc=False,
        deliverables=["2.3.2"],
        cite=True,
        steps=["submit", RETURN_PARTNERS, "submit"],
    ),
    dict(
        office="CO-DARESSALAAM",
        countries=["TZ", "KE"],
        title="Employers' organizations lead a skills anticipation pilot",
        started_on=(2022, 4, 4),
        ended_on=(2022, 12, 15),
        what_was_done="The Association of Tanzania Employers and the Federation of Kenya Employers ran "
        "skills "
        "surveys with ILO tools.",
        results="Skills needs for 12 sectors published and used by both training authorities.",
        g=False,
        e=True,
        w=False,
        partners="ITC-ILO",
        ssc=False,
        deliverables=["1.1.1"],
        cite=True,
        steps=["submit", ("approve", "")],
    ),
    dict(
        office="DWT-PRETORIA",
        countries=["ZA", "BW", "LS"],
        title="Regional green jobs programme for southern Africa",
        started_on=(2021, 9, 1),
        ended_on=(2023, 8, 31),
        what_was_done="A regional programme co-designed with SADC and funded by lightly earmarked "
        "contributions.",
        results="Green jobs assessments in three countries fed into their nationally determined "
        "contributions.",
        g=True,
        e=True,
        w=True,
        partners="SADC, UNEP",
        ssc=True,
        deliverables=["3.2.2", "2.1.2"],
        cite=True,
        steps=["submit", ("approve", "Good example of lightly earmarked funding.")],
    ),
    # Americas
    dict(
        office="CO-BRASILIA",
        countries=["BR", "MZ", "AO"],
        title="Brazil–Mozambique–Angola triangular cooperation on child labour",
        started_on=(2021, 3, 15),
        ended_on=(2022, 12, 31),
        what_was_done="Brazil's labour inspectorate shared its child labour monitoring system with "
        "Mozambique "
        "and Angola under the ILO South–South and triangular cooperation programme.",
        results="Both countries adopted hazardous work lists; 300 inspectors trained.",
        g=True,
        e=False,
        w=True,
        partners="Brazilian Cooperation Agency (ABC)",
        ssc=True,
        deliverables=["1.4.3", "1.4.1"],
        cite=True,
        steps=["submit", ("approve", "")],
    ),
    dict(
        office="DWT-LIMA",
        countries=["PE", "CO", "EC"],
        title="Andean social dialogue on platform work",
        started_on=(2023, 5, 2),
        ended_on=(2023, 10, 27),
        what_was_done="Tripartite round tables in three countries on regulating digital platform work.",
        results="Draft tripartite declaration under discussion in Peru.",
        g=True,
        e=True,
        w=True,
        partners="CAF – Development Bank of Latin America",
        ssc=True,
        deliverables=["2.1.2"],
        cite=False,
        steps=["submit"],
    ),
    dict(
        office="DWT-SANJOSE",
        countries=["CR", "PA"],
        title="Results-based management training for project staff",
        started_on=(2022, 10, 3),
        ended_on=(2022, 10, 7),
        what_was_done="RBM training for 35 project staff using the updated ILO guidance.",
        results="",
        g=False,
        e=False,
        w=False,
        partners="",
        ssc=False,
        deliverables=["4.1.1"],
        cite=False,
        steps=[],
    ),
    # Arab States
    dict(
        office="RO-BEIRUT",
        countries=["LB", "JO"],
        title="Employment-intensive infrastructure for refugees and host communities",
        started_on=(2021, 1, 1),
        ended_on=(2023, 6, 30),
        what_was_done="Employment-intensive road and agriculture works, with decent work conditions agreed "
        "with municipalities and workers' organizations.",
        results="1.2 million worker-days created; occupational safety standards applied on all sites.",
        g=True,
        e=False,
        w=True,
        partners="KfW, UNHCR",
        ssc=False,
        deliverables=["3.2.2", "2.1.1"],
        cite=True,
        steps=[
            "submit",
            ("return", "Separate the refugee and host-community figures."),
            "submit",
            ("approve", "Thank you for the disaggregated figures."),
        ],
    ),
    dict(
        office="CO-KUWAIT",
        countries=["KW"],
        title="Tripartite workshop on domestic workers' contracts",
        started_on=(2023, 3, 12),
        ended_on=None,
        what_was_done="Workshop with the Public Authority for Manpower on the standard contract.",
        results="Amendments proposed to the standard contract.",
        g=True,
        e=True,
        w=False,
        partners="",
        ssc=False,
        deliverables=["1.3.3"],
        cite=False,
        steps=["submit"],
    ),
    # Asia and the Pacific
    dict(
        office="CO-DHAKA",
        countries=["BD"],
        title="Better Work Bangladesh: social dialogue in garment factories",
        started_on=(2021, 7, 1),
        ended_on=(2023, 6, 30),
        what_was_done="Participation committees supported in 400 factories with the BGMEA and national "
        "trade union federations.",
        results="Grievances resolved at factory level rose by a third.",
        g=False,
        e=True,
        w=True,
        partners="IFC, European Union",
        ssc=False,
        deliverables=["2.4.1", "2.1.1"],
        cite=True,
        steps=["submit", ("approve", "")],
    ),
    dict(
        office="CO-JAKARTA",
        countries=["ID", "TL"],
        title="Indonesia shares its apprenticeship model with Timor-Leste",
        started_on=(2022, 8, 15),
        ended_on=(2023, 2, 28),
        what_was_done="Indonesia's Ministry of Manpower hosted Timorese officials on apprenticeship "
        "governance.",
        results="Timor-Leste drafted its first apprenticeship regulation.",
        g=True,
        e=True,
        w=False,
        partners="",
        ssc=True,
        deliverables=["1.4.3"],
        cite=True,
        steps=["submit"],
    ),
    dict(
        office="CO-HANOI",
        countries=["VN"],
        title="Labour code implementation guidance with UN country team",
        started_on=(2021, 2, 1),
        ended_on=(2021, 12, 31),
        what_was_done="Guidance on the revised labour code, prepared with the UN country team.",
        results="Decrees adopted.",
        g=True,
        e=False,
        w=False,
        partners="UNDP",
        ssc=False,
        deliverables=["1.3.3"],
        cite=False,
        steps=["submit", ("reject", "Outside the Strategy's period of reference for this review.")],
    ),
    # Examples approved in 2022, so that the review at 2022-12-31 cites one in every focus area.
    dict(
        office="CO-JAKARTA",
        countries=["ID"],
        title="Employment and social protection in Indonesia's integrated national financing framework",
        started_on=(2021, 6, 1),
        ended_on=(2022, 6, 30),
        what_was_done="The Country Office, with UNDP and the Joint SDG Fund, costed the national social "
        "protection and active labour market programmes and organized three tripartite consultations on "
        "their financing with the Ministry of National Development Planning.",
        results="The financing strategy adopted in 2022 includes a chapter on employment and social "
        "protection, with costed options for extending unemployment benefits.",
        g=True,
        e=True,
        w=True,
        partners="UNDP, Joint SDG Fund",
        ssc=False,
        deliverables=["2.3.2"],
        cite=True,
        steps=[
            "submit",
            ("approve", "Clear link between the financing strategy and the constituents' role."),
        ],
    ),
    dict(
        office="CO-HANOI",
        countries=["VN"],
        title="A funding strategy for Viet Nam's Decent Work Country Programme",
        started_on=(2021, 11, 1),
        ended_on=(2022, 8, 31),
        what_was_done="The Country Office mapped the funding available for each DWCP outcome, including "
        "domestic budgets and UN pooled funds, and agreed a resource mobilization plan with the Ministry of "
        "Labour, Invalids and Social Affairs, the Viet Nam Chamber of Commerce and Industry and the Viet Nam "
        "General Confederation of Labour.",
        results="Two of the five DWCP outcomes are fully funded; a joint programme on labour migration was "
        "funded from the UN country team's pooled fund.",
        g=True,
        e=True,
        w=True,
        partners="UN Resident Coordinator's Office",
        ssc=False,
        deliverables=["3.3.2", "3.2.1"],
        cite=True,
        steps=["submit", ("approve", "")],
    ),
    dict(
        office="RO-BEIRUT",
        countries=["JO"],
        title="A results framework for Jordan's employment-intensive investment programme",
        started_on=(2021, 5, 3),
        ended_on=(2022, 4, 29),
        what_was_done="The Regional Office rebuilt the programme's theory of change and monitoring system "
        "with the Ministry of Labour and the implementing municipalities, using the updated results-based "
        "management tools.",
        results="Quarterly results reports now measure decent work conditions on every site; the funding "
        "partner accepted them in place of its own reporting format.",
        g=True,
        e=False,
        w=True,
        partners="KfW",
        ssc=False,
        deliverables=["4.1.1"],
        cite=True,
        steps=["submit", ("approve", "")],
    ),
    dict(
        office="RO-BEIRUT",
        countries=["LB"],
        title="Environmental and social screening of employment-intensive works in Lebanon",
        started_on=(2022, 1, 10),
        ended_on=(2022, 7, 29),
        what_was_done="Every site of the employment-intensive programme was screened for environmental and "
        "social risks before works began, with the municipalities and the workers' representatives.",
        results="Risk mitigation plans were agreed for 40 sites; two sites were moved away from protected "
        "farmland.",
        g=True,
        e=False,
        w=True,
        partners="UNHCR",
        ssc=False,
        # Deliberate: credited to a deliverable that had no update before 2023 (a check shows it).
        deliverables=["4.3.1"],
        cite=True,
        steps=["submit", ("approve", "")],
    ),
    # Europe and Central Asia
    dict(
        office="DWT-BUDAPEST",
        countries=["RS", "MK", "AL"],
        title="Western Balkans youth guarantee implementation",
        started_on=(2022, 1, 15),
        ended_on=(2023, 12, 15),
        what_was_done="Support to three public employment services in rolling out youth guarantee schemes.",
        results="24,000 young people registered; 41 % received an offer within four months.",
        g=True,
        e=True,
        w=True,
        partners="European Union, ITC-ILO",
        ssc=False,
        deliverables=["2.3.2"],
        cite=True,
        steps=["submit", ("approve", "")],
    ),
    dict(
        office="CO-ANKARA",
        countries=["TR"],
        title="Decent work for Syrian refugees in Türkiye's textile sector",
        started_on=(2021, 4, 1),
        ended_on=(2022, 12, 31),
        what_was_done="Transition-to-formality programme with employers' organizations and unions.",
        results="6,800 refugees and host community members in formal jobs.",
        g=True,
        e=True,
        w=True,
        partners="UNHCR, KfW",
        ssc=False,
        deliverables=["2.1.1"],
        cite=True,
        steps=["submit", ("return", "Please attach the evaluation summary.")],
    ),
]


def _focal_for(office: Office, focal: User) -> User:
    """The demo focal point of CO-ABUJA is `focal`; other offices get a focal point
    who cannot sign in (the examples need an author)."""
    if office.code == "CO-ABUJA":
        return focal
    username = f"focal-{office.code.lower()}"
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=access.FOCAL_POINTS))
        Profile.objects.get_or_create(user=user, defaults={"office": office})
    return user


@transaction.atomic
def seed_examples(*, plan: Plan, users: dict, stdout=None) -> int:
    deliverables = {d.code: d for d in Deliverable.objects.in_plan(plan)}
    offices = {o.code: o for o in Office.objects.all()}
    reviewer = users["pardev"]
    created = 0
    for number, spec in enumerate(EXAMPLES):
        office = offices[spec["office"]]
        if ProgressExample.objects.filter(office=office, title=spec["title"]).exists():
            continue
        author = _focal_for(office, users["focal"])
        example = example_create(
            office=office,
            user=author,
            data=ExampleInput(
                values={
                    "title": spec["title"],
                    "countries": spec["countries"],
                    "started_on": datetime.date(*spec["started_on"]),
                    "ended_on": datetime.date(*spec["ended_on"]) if spec["ended_on"] else None,
                    "what_was_done": spec["what_was_done"],
                    "results": spec["results"],
                    "involves_government": spec["g"],
                    "involves_employers": spec["e"],
                    "involves_workers": spec["w"],
                    "partners": spec["partners"],
                    "south_south": spec["ssc"],
                    "may_be_cited": spec["cite"],
                },
                deliverables=[deliverables[code] for code in spec["deliverables"]],
            ),
        )
        for step in spec["steps"]:
            verb, comment = (step, "") if isinstance(step, str) else step
            if verb == "submit":
                example_submit(example=example, user=author)
            else:
                example_review(example=example, user=reviewer, decision=verb, comment=comment)
        _backdate(example, start=datetime.date(*spec["ended_on"] or spec["started_on"]), seed=number)
        created += 1
    if stdout is not None:
        stdout.write(gettext("%(count)d progress examples created.") % {"count": created})
    return created


def _backdate(example: ProgressExample, *, start: datetime.date, seed: int) -> None:
    """Spread the history over the weeks after the example's period, as it would have happened."""
    moment = timezone.make_aware(datetime.datetime.combine(start, datetime.time(9 + seed % 7, 15)))
    moment += datetime.timedelta(days=10)
    fields = {"created_at": moment}
    for transition in example.transitions.order_by("at", "pk"):
        ExampleTransition.objects.filter(pk=transition.pk).update(at=moment)
        if transition.to_state == ProgressExample.State.SUBMITTED:
            fields["submitted_at"] = moment
        if transition.to_state == ProgressExample.State.APPROVED:
            fields["approved_at"] = moment
        fields["updated_at"] = moment
        moment += datetime.timedelta(days=6 + seed % 9, hours=3)
    ProgressExample.objects.filter(pk=example.pk).update(**fields)
