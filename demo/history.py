"""The demo's status history: what each deliverable's lead unit reported, and when.

Written from the deliverables of GB.341/POL/4, in the register of ILO progress
reporting. Statuses agree with the targets and the timelines, with a few
deliberate exceptions so that the review's checks have something to show at
the 2022-12-31 cut-off:

- 1.4.3 reaches its target while reported "at risk" (November 2022);
- 2.2.1 is not updated between March 2022 and May 2023 (an old update);
- 3.3.2 and 4.2.3 carry the same pasted narrative (November 2022);
- 4.3.1 has no update before 2023, yet an example approved in 2022 is
  credited to it (demo/examples.py).
"""

import datetime

from deliverables.models import Status

A, T, R, D = Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.DELAYED

PASTED = (
    "Consultations with the regional offices are ongoing and the draft will be shared with the "
    "constituents concerned early next year."
)

# code → [(as of, status, progress or None, narrative), …] in date order.
HISTORY: dict[str, list[tuple[str, Status, int | None, str]]] = {
    "1.1.1": [
        (
            "2021-09-20",
            T,
            None,
            "Review of existing ILO capacity-development guidance completed with the ITC-ILO; "
            "gaps found in needs assessment and in the follow-up of trainees.",
        ),
        (
            "2022-10-14",
            T,
            None,
            "Draft guidance note on the design of capacity-development interventions tested in "
            "four Decent Work Country Programme formulation exercises; the ITC-ILO adapted two "
            "e-learning modules.",
        ),
        (
            "2023-05-30",
            A,
            None,
            "Guidance and toolkit on the design of capacity-development interventions published "
            "in English, French and Spanish and included in the ITC-ILO course catalogue.",
        ),
    ],
    "1.1.2": [
        (
            "2021-11-05",
            T,
            None,
            "The Evaluation Office started a synthesis review of how evaluations assess "
            "capacity-development results; terms of reference agreed with PARDEV.",
        ),
        (
            "2022-09-28",
            T,
            None,
            "Synthesis review completed; a draft protocol for assessing institutional capacity "
            "outcomes is being piloted in three independent project evaluations.",
        ),
        (
            "2023-06-12",
            T,
            None,
            "Protocol revised after the pilots; guidance for evaluation managers will be issued "
            "with the 2024 edition of the evaluation guidelines.",
        ),
        (
            "2024-11-20",
            A,
            None,
            "Updated evaluation guidance, with the capacity-development protocol, issued and "
            "applied in every independent project evaluation launched since September 2024.",
        ),
    ],
    "1.2.1": [
        (
            "2021-10-01",
            T,
            None,
            "Consultations with ACTRAV and ACT/EMP on constituents' participation in programme "
            "and project design completed; revision of the DWCP guidebook started.",
        ),
        (
            "2022-11-18",
            T,
            None,
            "Revised DWCP guidebook circulated for comment; the project appraisal checklist now "
            "asks for evidence of consultation with employers' and workers' organizations.",
        ),
        (
            "2023-05-08",
            T,
            None,
            "Comments from the regional offices integrated; the appraisal checklist was applied "
            "to 64 new project proposals in the first quarter.",
        ),
        (
            "2023-07-14",
            A,
            None,
            "DWCP guidebook (2023 edition) and the updated development cooperation manual "
            "issued; the appraisal checklist is mandatory for all new proposals.",
        ),
    ],
    "1.3.1": [
        (
            "2021-08-16",
            T,
            None,
            "Course on UN Cooperation Frameworks for employers' and workers' organizations "
            "designed with ACTRAV, ACT/EMP and the ITC-ILO; first regional session held for Africa.",
        ),
        (
            "2022-08-31",
            T,
            None,
            "Course delivered in Asia and the Pacific and in the Americas; 146 representatives "
            "of employers' and workers' organizations trained since 2021.",
        ),
        (
            "2023-03-09",
            T,
            None,
            "Self-guided online module on Common Country Analyses launched in three languages; "
            "sessions for the Arab States and Europe and Central Asia scheduled for 2024.",
        ),
    ],
    "1.3.2": [
        (
            "2021-10-20",
            T,
            None,
            "Briefing package on the Decent Work Agenda prepared for the induction of new UN "
            "Resident Coordinators by the UN Development Coordination Office.",
        ),
        (
            "2022-12-05",
            T,
            None,
            "Briefings delivered to 38 Resident Coordinators and their country teams; a decent "
            "work checklist for Cooperation Frameworks is in use in 12 countries.",
        ),
        (
            "2023-06-20",
            T,
            None,
            "Checklist updated to reflect the Global Accelerator on Jobs and Social Protection "
            "for Just Transitions; four regional briefings held with Resident Coordinator offices.",
        ),
    ],
    "1.3.3": [
        (
            "2021-07-30",
            T,
            None,
            "Requests for technical assistance tracked through the regional offices; "
            "constituents in 15 countries supported in Cooperation Framework road maps.",
        ),
        (
            "2022-10-25",
            T,
            None,
            "Constituents in 27 countries took part in the design of Cooperation Frameworks "
            "with ILO support; decent work outcomes feature in 24 of the 30 frameworks signed in 2022.",
        ),
        (
            "2023-05-16",
            T,
            None,
            "Support extended to Common Country Analysis updates in 11 countries; demand from "
            "workers' organizations exceeds what the regional specialists can cover.",
        ),
    ],
    "1.4.1": [
        (
            "2021-11-30",
            T,
            2,
            "Two partnerships concluded, with the Brazilian Cooperation Agency and with the "
            "Government of India.",
        ),
        (
            "2022-09-12",
            T,
            4,
            "Four partnerships in place; negotiations open with two regional economic communities.",
        ),
        (
            "2023-03-31",
            T,
            6,
            "Six partnerships in place, including one under the IBSA Fund; two further agreements "
            "await signature.",
        ),
        (
            "2024-12-10",
            A,
            10,
            "Target met: ten partnerships applying the BAPA+40 principles concluded, the last "
            "with the Islamic Development Bank.",
        ),
    ],
    "1.4.2": [
        (
            "2021-09-08",
            T,
            None,
            "Mapping of the results of ILO South–South and triangular cooperation since 2012 "
            "under way with the ITC-ILO.",
        ),
        (
            "2022-11-02",
            T,
            None,
            "Draft methodology for measuring the sustainability of triangular partnerships "
            "discussed at the ILO South–South Meeting Point.",
        ),
        (
            "2023-06-05",
            R,
            None,
            "Finalization depends on extra-budgetary funding for a follow-up survey of "
            "partners, which is not yet secured.",
        ),
    ],
    "1.4.3": [
        (
            "2021-10-11",
            T,
            6,
            "Six initiatives held with the ITC-ILO, mostly online, on social protection and "
            "skills recognition.",
        ),
        # Deliberate: the target is reached, yet the status says "at risk".
        (
            "2022-11-21",
            R,
            21,
            "Twenty-one initiatives completed with constituents, but the ITC-ILO co-funding for "
            "2023 is uncertain and the follow-up coaching of participants may be dropped.",
        ),
        (
            "2023-05-04",
            A,
            24,
            "Twenty-four initiatives completed; co-funding for the coaching component "
            "confirmed by two partners.",
        ),
    ],
    "1.4.4": [
        (
            "2021-10-29",
            T,
            None,
            "Good practices of tripartite South–South cooperation submitted to the UN Office "
            "for South-South Cooperation for the inter-agency compendium.",
        ),
        (
            "2022-10-07",
            T,
            None,
            "Tripartite practices included in the draft action plan of the UN system-wide "
            "strategy on South-South and triangular cooperation.",
        ),
        (
            "2023-04-18",
            T,
            None,
            "The ILO was asked to lead the mechanism's working group on employment and social protection.",
        ),
        (
            "2023-11-15",
            A,
            None,
            "The mechanism's 2023 report features five practices from the ILO's tripartite "
            "partners; its guidance on SSTC programming now refers to social dialogue.",
        ),
    ],
    "2.1.1": [
        (
            "2021-09-30",
            T,
            None,
            "The ILO convenes Alliance 8.7 and co-chairs the Global Partnership for Universal "
            "Social Protection; constituents sit on both steering committees.",
        ),
        (
            "2022-10-19",
            T,
            None,
            "Tripartite participation secured in the governance of the Global Accelerator on "
            "Jobs and Social Protection for Just Transitions.",
        ),
        (
            "2023-06-08",
            T,
            None,
            "Constituents take part in the Accelerator's national round tables in six pathfinder countries.",
        ),
    ],
    "2.1.2": [
        (
            "2021-11-12",
            T,
            None,
            "Cooperation with the African Union Commission and ECOWAS reviewed with the Regional "
            "Office for Africa; the constituents' role in their labour migration programmes agreed.",
        ),
        (
            "2022-09-21",
            T,
            None,
            "Joint work plans signed with SADC and the Andean Community; the social partners "
            "sit on their technical committees.",
        ),
        (
            "2023-04-27",
            D,
            None,
            "Renewal of the cooperation agreement with the ASEAN Secretariat postponed to 2024 "
            "at the Secretariat's request.",
        ),
    ],
    "2.2.1": [
        (
            "2021-10-18",
            T,
            1,
            "Memorandum of understanding with the African Development Bank on jobs and skills renewed.",
        ),
        # Deliberate: no news for more than a year after this one.
        (
            "2022-03-15",
            T,
            2,
            "Second arrangement agreed with the Inter-American Development Bank on labour market "
            "information systems.",
        ),
        (
            "2023-05-22",
            T,
            2,
            "Talks with the Asian Infrastructure Investment Bank on labour standards in its "
            "environmental and social framework resumed after a pause.",
        ),
        ("2024-10-01", A, 3, "Third arrangement concluded, with the Asian Infrastructure Investment Bank."),
    ],
    "2.2.2": [
        (
            "2021-07-15",
            T,
            None,
            "The ILO co-led the discussion group on recovering better for sustainability, with a "
            "focus on the financing of social protection.",
        ),
        (
            "2022-10-03",
            T,
            None,
            "Policy options on financing jobs and social protection presented to finance "
            "ministers at the Initiative's high-level event.",
        ),
        (
            "2022-11-25",
            A,
            None,
            "Leadership role kept until the Initiative wound down; its recommendations now "
            "inform the Global Accelerator's financing work.",
        ),
    ],
    "2.3.1": [
        (
            "2021-10-06",
            T,
            None,
            "Learning needs of constituents on integrated national financing frameworks "
            "assessed in five countries.",
        ),
        (
            "2022-09-09",
            T,
            None,
            "ITC-ILO course on financing for decent work piloted with 31 participants from "
            "ministries of labour and finance and from employers' and workers' organizations.",
        ),
        (
            "2023-06-29",
            D,
            None,
            "The self-study version of the course slipped to early 2024 after the lead "
            "specialist left; the tripartite guide is in final editing.",
        ),
        (
            "2024-03-01",
            A,
            None,
            "Tripartite guide and self-study course on financing for decent work published.",
        ),
    ],
    "2.3.2": [
        (
            "2021-12-02",
            T,
            None,
            "Support to integrated national financing framework processes started in Ghana, "
            "Indonesia and Peru with UNDP and the Joint SDG Fund.",
        ),
        (
            "2022-10-28",
            T,
            None,
            "Social protection floors costed in two countries and included in medium-term "
            "expenditure frameworks; the financing of youth guarantees assessed in the Western Balkans.",
        ),
        (
            "2023-05-25",
            T,
            None,
            "Eleven countries supported; employment and social protection chapters prepared "
            "for four national financing strategies.",
        ),
    ],
    "2.3.3": [
        (
            "2021-11-22",
            T,
            None,
            "Review of social impact bonds, blended finance and green bonds in the world of "
            "work commissioned.",
        ),
        (
            "2022-12-12",
            T,
            None,
            "Draft tool for assessing the opportunities and risks of innovative finance "
            "discussed with the secretariats of the Employers' and Workers' groups.",
        ),
        ("2023-05-02", T, None, "Tool tested with constituents in Kenya and the Philippines."),
        (
            "2023-10-30",
            A,
            None,
            "Assessment tool issued with a tripartite-validated checklist on labour standards "
            "in innovative finance.",
        ),
    ],
    "2.4.1": [
        (
            "2021-08-25",
            T,
            None,
            "Eleven new public–private partnerships approved, mainly on skills and on decent "
            "work in supply chains.",
        ),
        (
            "2022-11-08",
            T,
            None,
            "A partnership with a network of apparel brands supports social dialogue in Better "
            "Work factories; due diligence on partners applied as the procedure requires.",
        ),
        (
            "2023-05-18",
            T,
            None,
            "Review of the public–private partnership procedure launched to shorten approval "
            "times while keeping due diligence.",
        ),
    ],
    "3.1.1": [
        (
            "2021-11-24",
            T,
            1,
            "First structured funding dialogue held with funding partners on the Programme and "
            "Budget for 2022–23.",
        ),
        (
            "2022-11-16",
            A,
            2,
            "Second dialogue held, on the Global Accelerator and the flagship programmes; 21 "
            "funding partners took part.",
        ),
    ],
    "3.1.2": [
        (
            "2021-10-26",
            T,
            0,
            "Approach to time-bound thematic campaigns drafted, drawing on the experience of "
            "other UN entities.",
        ),
        (
            "2022-10-11",
            T,
            0,
            "Pilot campaign on social protection for workers in the informal economy designed; "
            "launch planned for March 2023.",
        ),
        (
            "2023-04-14",
            A,
            1,
            "Pilot campaign launched during the 347th Session of the Governing Body; three "
            "funding partners pledged contributions.",
        ),
    ],
    "3.2.1": [
        (
            "2021-09-14",
            T,
            None,
            "RBSA results for 2020–21 reported to partners country by country; two partners "
            "increased their unearmarked contributions.",
        ),
        (
            "2022-10-21",
            T,
            None,
            "A lightly earmarked window for the Global Accelerator agreed in principle with two "
            "funding partners.",
        ),
        (
            "2023-05-09",
            R,
            None,
            "Unearmarked contributions fell for the second year running; the share of RBSA in "
            "voluntary funding is below the aim of the UN Funding Compact.",
        ),
    ],
    "3.2.2": [
        ("2021-08-09", T, None, "The five flagship programmes reviewed; a common results framework drafted."),
        (
            "2022-09-30",
            T,
            None,
            "Design clinic for large and integrated programmes set up in PARDEV; three "
            "multi-country programmes designed with its support.",
        ),
        (
            "2023-06-15",
            T,
            None,
            "Funding for the flagship programmes grew for the second year; the design clinic "
            "opened to the regional offices.",
        ),
    ],
    "3.3.1": [
        ("2021-12-10", T, 1, "Approach to domestic development funding agreed with the regional offices."),
        (
            "2022-10-06",
            T,
            2,
            "Approach to UN pooled funds issued; the approach to private funding is in consultation.",
        ),
        (
            "2023-06-22",
            D,
            3,
            "The approach to funding from international financial institutions awaits the "
            "arrangements under deliverable 2.2.1; three of the four approaches are in place.",
        ),
    ],
    "3.3.2": [
        (
            "2021-11-03",
            T,
            None,
            "Funding strategies piloted for the Decent Work Country Programmes of Ethiopia and Viet Nam.",
        ),
        ("2022-11-29", T, None, PASTED),  # deliberate: the same text as 4.2.3
        (
            "2023-05-31",
            T,
            None,
            "Funding strategies completed for four DWCPs; the guidance note is being finalized.",
        ),
        (
            "2023-12-15",
            A,
            None,
            "Guidance on funding strategies for DWCPs issued; eight country offices applied it.",
        ),
    ],
    "4.1.1": [
        (
            "2021-10-04",
            T,
            None,
            "Review of results-based management guidance for development cooperation "
            "completed; theory-of-change templates updated.",
        ),
        (
            "2022-09-16",
            T,
            None,
            "Updated results-based management e-learning rolled out; 450 staff completed it.",
        ),
        (
            "2023-06-19",
            A,
            None,
            "Updated guides and tools on results-based management in use; every new project "
            "document is appraised against them.",
        ),
    ],
    "4.1.2": [
        (
            "2021-09-27",
            T,
            None,
            "Data fields required by the IATI standard mapped against the Office's Integrated "
            "Resource Information System.",
        ),
        (
            "2022-12-01",
            T,
            None,
            "IATI data now published monthly, with results data for 60 per cent of projects.",
        ),
        (
            "2022-12-20",
            A,
            None,
            "90 per cent of the fields required by the IATI standard published; reporting to "
            "the OECD-DAC automated.",
        ),
    ],
    "4.2.1": [
        (
            "2021-11-16",
            T,
            None,
            "Management responses to the 2020 high-level evaluations tracked in a single "
            "system; the follow-up rate is reported every quarter.",
        ),
        (
            "2022-10-13",
            T,
            None,
            "70 per cent of the recommendations of the evaluation of development cooperation "
            "modalities implemented.",
        ),
        ("2023-06-02", T, None, "Risk registers made mandatory for projects of more than US$5 million."),
    ],
    "4.2.2": [
        (
            "2021-10-22",
            T,
            None,
            "Learning path on partnerships and resource mobilization designed with the ITC-ILO "
            "and the Human Resources Development Department.",
        ),
        (
            "2022-09-23",
            T,
            None,
            "Learning path opened to field staff; 212 staff enrolled, a third of them national officers.",
        ),
        (
            "2022-12-14",
            A,
            None,
            "Learning path completed by 390 staff; a module on large and integrated programmes added.",
        ),
    ],
    "4.2.3": [
        (
            "2021-12-06",
            T,
            None,
            "Pilots of a hub-based technical support model prepared in West Africa and South-East Asia.",
        ),
        ("2022-11-29", T, None, PASTED),  # deliberate: the same text as 3.3.2
        (
            "2023-05-31",
            T,
            None,
            "Pilots evaluated; the hub model will be extended to the Arab States in 2024.",
        ),
    ],
    "4.3.1": [
        # Deliberate: nothing reported before 2023, but an example approved in 2022 is credited to it.
        (
            "2023-02-15",
            T,
            None,
            "Work on the tools started once the Environmental and Social Sustainability "
            "Framework was adopted; a screening tool has been drafted.",
        ),
        ("2023-11-30", A, None, "Screening and safeguard tools issued and applied to every new project."),
    ],
    "4.4.1": [
        (
            "2021-12-14",
            T,
            None,
            "Evidence review for the business case for investing in decent work commissioned.",
        ),
        (
            "2022-10-31",
            D,
            None,
            "Drafting slowed by the redeployment of the team to the COVID-19 response; "
            "publication moved to the second half of 2023.",
        ),
        ("2023-04-12", D, None, "Draft reviewed by the Senior Management Team; revisions under way."),
        (
            "2023-10-16",
            A,
            None,
            "Business case published and presented to funding partners at the structured funding dialogue.",
        ),
    ],
    "4.4.2": [
        ("2021-11-09", T, None, "Costing methods of four UN entities compared."),
        (
            "2022-12-09",
            T,
            None,
            "Draft costing approach tested on technical advisory services in two regions.",
        ),
        ("2023-06-30", A, None, "Costing approach approved and communicated to funding partners."),
    ],
}


def history_for(code: str) -> list[tuple[datetime.date, Status, int | None, str]]:
    """The scripted updates of one deliverable; empty for a deliverable the script does not know."""
    return [
        (datetime.date.fromisoformat(day), status, progress, narrative)
        for day, status, progress, narrative in HISTORY.get(code, [])
    ]
