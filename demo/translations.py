"""French and Spanish texts for focus area 1, for trying the site and the review in
three languages. They are NOT the official texts of GB.341/POL/4 (those are not in
the repository): every object given one carries DEMO_NOTE in `translation_note`.
The other focus areas stay English-only, so the "missing texts" path shows too.
"""

from deliverables.models import Deliverable, FocusArea, Plan, ProposedAction

DEMO_NOTE = "Unofficial demo translation (seed_demo), not the official text of GB.341/POL/4."

FOCUS_AREA_1 = {
    "fr": "Services aux mandants",
    "es": "Servicios a los mandantes",
}

ACTIONS = {
    "1.1": (
        "Les services de coopération pour le développement répondent aux besoins de renforcement des "
        "capacités recensés des mandants tripartites, sur la base des priorités et des plans "
        "institutionnels de renforcement des capacités.",
        "Los servicios de cooperación para el desarrollo responden a las necesidades de desarrollo de la "
        "capacidad detectadas de los mandantes tripartitos, sobre la base de las prioridades y de los "
        "planes institucionales de desarrollo de la capacidad.",
    ),
    "1.2": (
        "Renforcer l'appropriation par les mandants des PPTD axés sur les besoins, ainsi que des "
        "programmes et projets de coopération pour le développement.",
        "Fortalecer la implicación de los mandantes en los PTDP basados en las necesidades y en los "
        "programas y proyectos de cooperación para el desarrollo.",
    ),
    "1.3": (
        "Soutenir la participation effective des mandants de l'OIT aux processus de programmation et de "
        "partenariat des Nations Unies au niveau des pays.",
        "Apoyar la participación efectiva de los mandantes de la OIT en los procesos de programación y de"
        " alianzas de las Naciones Unidas a nivel de país.",
    ),
    "1.4": (
        "Promouvoir et développer le renforcement des capacités et les échanges entre pairs en faveur du "
        "travail décent entre les mandants et d'autres partenaires au moyen de la coopération Sud-Sud et "
        "des modalités et partenariats de coopération Sud-Sud et triangulaire (CSST).",
        "Promover y ampliar el desarrollo de la capacidad y los intercambios entre pares para la "
        "promoción del trabajo decente entre los mandantes y otros asociados mediante la cooperación "
        "Sur-Sur y las modalidades y alianzas de cooperación Sur-Sur y triangular (CSST).",
    ),
}

# code: (French text, Spanish text, French target unit, Spanish target unit)
DELIVERABLES = {
    "1.1.1": (
        "Des outils d'orientation actualisés sur la conception des interventions de renforcement des "
        "capacités sont élaborés, notamment en collaboration avec le CIF-OIT.",
        "Se elaboran herramientas de orientación actualizadas sobre el diseño de las intervenciones de "
        "desarrollo de la capacidad, en particular en colaboración con el CIF-OIT.",
        "",
        "",
    ),
    "1.1.2": (
        "Des méthodes et outils d'évaluation actualisés de l'OIT sont mis au point pour mieux apprécier "
        "les résultats du renforcement des capacités et renforcer l'apprentissage institutionnel, "
        "notamment en collaboration avec le CIF-OIT.",
        "Se desarrollan metodologías y herramientas de evaluación actualizadas de la OIT para mejorar la "
        "valoración de los resultados del desarrollo de la capacidad y potenciar el aprendizaje "
        "institucional, en particular en colaboración con el CIF-OIT.",
        "",
        "",
    ),
    "1.2.1": (
        "Les processus institutionnels, orientations et outils relatifs aux PPTD et aux programmes et "
        "projets de coopération pour le développement sont améliorés et actualisés afin d'assurer la "
        "participation et l'appropriation des mandants, notamment par le dialogue social, dans leur "
        "conception, leur mise en œuvre et leur évaluation.",
        "Se mejoran y actualizan los procesos institucionales, las orientaciones y las herramientas "
        "relativos a los PTDP y a los programas y proyectos de cooperación para el desarrollo para "
        "asegurar la participación y la implicación de los mandantes, en particular mediante el diálogo "
        "social, en su diseño, aplicación y evaluación.",
        "",
        "",
    ),
    "1.3.1": (
        "Des approches, outils et programmes de renforcement des capacités visant à sensibiliser les "
        "mandants aux bilans communs de pays, aux plans-cadres de coopération et aux plans de riposte "
        "socio-économique des Nations Unies sont élaborés et déployés dans les cinq régions, notamment en"
        " coopération avec le CIF-OIT.",
        "Se elaboran y ponen en marcha en las cinco regiones enfoques, herramientas y programas de "
        "fortalecimiento de la capacidad para sensibilizar a los mandantes sobre las evaluaciones comunes"
        " sobre el país, los marcos de cooperación y los planes de respuesta socioeconómica de las "
        "Naciones Unidas, en particular en cooperación con el CIF-OIT.",
        "",
        "",
    ),
    "1.3.2": (
        "Des approches et outils de sensibilisation à l'avantage comparatif de l'OIT et à l'Agenda du "
        "travail décent sont élaborés et déployés à l'intention des coordonnateurs résidents et des "
        "équipes de pays des Nations Unies.",
        "Se elaboran y ponen en marcha enfoques y herramientas de sensibilización sobre la ventaja "
        "comparativa de la OIT y el Programa de Trabajo Decente destinados a los coordinadores residentes"
        " y a los equipos de las Naciones Unidas en los países.",
        "",
        "",
    ),
    "1.3.3": (
        "Une assistance technique est fournie en temps utile aux mandants dans les domaines d'action "
        "pertinents pour leur participation aux processus de programmation des Nations Unies au niveau "
        "des pays.",
        "Se presta oportunamente asistencia técnica a los mandantes en los ámbitos de políticas "
        "pertinentes para su participación en los procesos de programación de las Naciones Unidas a nivel"
        " de país.",
        "",
        "",
    ),
    "1.4.1": (
        "Dix nouveaux partenariats de l'OIT favorisant les principes de la coopération Sud-Sud de BAPA+40"
        " à l'appui des résultats stratégiques de l'OIT sont conclus.",
        "Se concluyen diez nuevas alianzas de la OIT que promueven los principios de la cooperación "
        "Sur-Sur de PABA+40 en apoyo de los resultados en materia de políticas de la OIT.",
        "partenariats",
        "alianzas",
    ),
    "1.4.2": (
        "De nouvelles approches, méthodes et outils de l'OIT visant à améliorer les résultats et la "
        "durabilité des partenariats de coopération Sud-Sud et triangulaire sont élaborés et mis à la "
        "disposition des mandants et du personnel de l'OIT, notamment en coopération avec le CIF-OIT.",
        "Se elaboran nuevos enfoques, metodologías y herramientas de la OIT para mejorar los resultados y"
        " la sostenibilidad de las alianzas de cooperación Sur-Sur y triangular, y se ponen a disposición"
        " de los mandantes y del personal de la OIT, en particular en cooperación con el CIF-OIT.",
        "",
        "",
    ),
    "1.4.3": (
        "Vingt initiatives de renforcement des capacités en matière de coopération Sud-Sud sont menées "
        "avec et pour les mandants de l'OIT, en coopération avec le CIF-OIT.",
        "Se llevan a cabo veinte iniciativas de desarrollo de la capacidad en materia de cooperación "
        "Sur-Sur con los mandantes de la OIT y para ellos, en cooperación con el CIF-OIT.",
        "initiatives de renforcement des capacités Sud-Sud",
        "iniciativas de desarrollo de la capacidad Sur-Sur",
    ),
    "1.4.4": (
        "Le Mécanisme interinstitutions des Nations Unies pour la coopération Sud-Sud et triangulaire "
        "intègre les bonnes pratiques tirées de l'expérience des partenaires tripartites de l'OIT dans "
        "ses orientations stratégiques à l'échelle du système à l'intention des entités des Nations "
        "Unies.",
        "El Mecanismo Interinstitucional de las Naciones Unidas para la Cooperación Sur-Sur y Triangular "
        "integra las buenas prácticas derivadas de la experiencia de los mandantes tripartitos de la OIT "
        "en su orientación normativa a nivel de todo el sistema para las entidades de las Naciones "
        "Unidas.",
        "",
        "",
    ),
}


def seed_translations(*, plan: Plan) -> int:
    """Give focus area 1, its actions and deliverables their demo French and Spanish
    texts (idempotent). Returns how many objects were given texts."""
    area = FocusArea.objects.get(plan=plan, number=1)
    area.title_fr, area.title_es, area.translation_note = FOCUS_AREA_1["fr"], FOCUS_AREA_1["es"], DEMO_NOTE
    area.save(update_fields=["title_fr", "title_es", "translation_note"])
    count = 1
    for action in ProposedAction.objects.filter(plan=plan, code__in=ACTIONS):
        action.text_fr, action.text_es = ACTIONS[action.code]
        action.translation_note = DEMO_NOTE
        action.save(update_fields=["text_fr", "text_es", "translation_note"])
        count += 1
    for deliverable in Deliverable.objects.filter(plan=plan, code__in=DELIVERABLES):
        text_fr, text_es, unit_fr, unit_es = DELIVERABLES[deliverable.code]
        deliverable.text_fr, deliverable.text_es = text_fr, text_es
        deliverable.target_unit_fr, deliverable.target_unit_es = unit_fr, unit_es
        deliverable.translation_note = DEMO_NOTE
        deliverable.save(
            update_fields=["text_fr", "text_es", "target_unit_fr", "target_unit_es", "translation_note"]
        )
        count += 1
    return count
