"""French content of the demo edition: the topics of public innovation, how each format is
worded, venues and streets, coordinators' comments, edition headlines.

Everything here is plain data plus small wording helpers; ``demo`` picks from it with a seeded
random generator. Topics are real subjects of public innovation (simplification, design de
services, participation citoyenne, IA…); figures quoted in their context are public facts.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Topic:
    """A subject of public innovation an event can be about."""

    short: str          # for titles: « Écrire en langage clair »
    np: str             # noun phrase with its article: « le langage clair dans les courriers »
    question: str       # for debates and round tables
    goal: str           # infinitive phrase after « pour »
    context: str        # one or two sentences of context
    points: tuple[str, ...]
    themes: tuple[str, ...]
    audiences: tuple[str, ...] = ("agents-publics",)
    kinds: tuple[str, ...] = ()  # organisation kinds this topic is most typical of


TOPICS: tuple[Topic, ...] = (
    Topic(
        "Écrire en langage clair",
        "le langage clair dans les courriers administratifs",
        "Comment écrire des courriers que tout le monde comprend ?",
        "rendre nos courriers et nos formulaires compréhensibles par toutes et tous",
        "Beaucoup d'usagers disent ne pas comprendre les courriers qu'ils reçoivent de "
        "l'administration. Le langage clair propose des règles simples, testées avec les usagers, "
        "pour écrire des messages qui se comprennent du premier coup.",
        (
            "les principes du langage clair et du « facile à lire et à comprendre » (FALC)",
            "la réécriture d'un vrai courrier apporté par les participants",
            "le test des nouvelles versions auprès d'usagers volontaires",
            "une boîte à outils pour continuer dans son service",
        ),
        ("simplification", "sciences-comportementales", "inclusion-accessibilite"),
        ("agents-publics", "managers"),
    ),
    Topic(
        "Réinventer l'accueil des usagers",
        "l'accueil des usagers dans les services publics",
        "À quoi ressemblera l'accueil au guichet en 2030 ?",
        "repenser l'accueil physique et téléphonique à partir de l'expérience des usagers",
        "Signalétique, temps d'attente, prise de rendez-vous, confidentialité : l'accueil est le "
        "premier contact avec le service public. Plusieurs services ont refait leurs espaces "
        "avec les usagers et les agents d'accueil.",
        (
            "le parcours d'un usager, de la prise de rendez-vous à la sortie",
            "des retours d'expérience de projets de refonte d'espaces d'accueil",
            "le prototypage d'une signalétique et d'un espace d'attente",
            "les indicateurs de satisfaction à suivre dans la durée",
        ),
        ("design-de-services", "simplification"),
        ("agents-publics", "managers"),
        ("liit", "operateur"),
    ),
    Topic(
        "Accompagner les usagers éloignés du numérique",
        "l'accompagnement des usagers éloignés du numérique",
        "Comment ne laisser personne de côté quand les démarches passent en ligne ?",
        "mieux accompagner les personnes éloignées du numérique dans leurs démarches",
        "Des millions de Français restent éloignés du numérique. Espaces France services, "
        "conseillers numériques, permanences itinérantes : les solutions se multiplient et gagnent "
        "à être conçues avec les personnes concernées.",
        (
            "les dispositifs d'accompagnement qui existent sur le territoire",
            "les témoignages de conseillers numériques et d'agents France services",
            "la cartographie des besoins encore mal couverts",
            "des pistes d'actions concrètes à tester dès l'an prochain",
        ),
        ("inclusion-accessibilite", "numerique-ia", "design-de-services"),
        ("agents-publics", "elus", "grand-public"),
        ("collectivite", "operateur", "association"),
    ),
    Topic(
        "Lutter contre le non-recours aux droits",
        "le non-recours aux droits sociaux",
        "Pourquoi des personnes renoncent-elles à des aides auxquelles elles ont droit ?",
        "comprendre les causes du non-recours et tester des solutions pour y répondre",
        "Une part importante des personnes éligibles aux minima sociaux ne les demande pas. "
        "Complexité des démarches, méconnaissance, crainte d'être mal reçu : les sciences "
        "comportementales aident à lever ces freins.",
        (
            "les chiffres du non-recours et ce qu'ils recouvrent",
            "l'écoute de personnes concernées et de travailleurs sociaux",
            "la conception de messages et de démarches « proactives »",
            "le protocole d'une expérimentation à lancer localement",
        ),
        ("inclusion-accessibilite", "sciences-comportementales", "simplification"),
        ("agents-publics", "elus"),
        ("operateur", "collectivite", "association"),
    ),
    Topic(
        "Les sciences comportementales au service de l'action publique",
        "les sciences comportementales",
        "Un simple courrier peut-il changer les comportements ?",
        "découvrir comment les sciences comportementales rendent les politiques publiques plus efficaces",
        "Rappels de rendez-vous, formulation des courriers, choix par défaut : de petites "
        "modifications, testées rigoureusement, produisent parfois des effets importants.",
        (
            "les biais cognitifs qui compliquent les démarches",
            "des expérimentations menées en France et leurs résultats",
            "la méthode pour tester une intervention avant de la généraliser",
            "les limites éthiques de l'incitation douce (nudge)",
        ),
        ("sciences-comportementales", "simplification"),
        ("agents-publics", "managers"),
        ("lab-ministere", "liit"),
    ),
    Topic(
        "L'IA générative au quotidien des agents",
        "l'intelligence artificielle générative",
        "Quelle place donner à l'intelligence artificielle dans nos services publics ?",
        "utiliser l'IA générative de façon utile, sûre et responsable dans son travail",
        "Synthèse de documents, aide à la rédaction des réponses aux usagers, recherche dans la "
        "réglementation : les assistants d'IA générative arrivent dans les administrations. Ils "
        "posent aussi des questions de confidentialité, de fiabilité et d'éthique.",
        (
            "ce que l'IA générative sait faire, et ce qu'elle ne sait pas faire",
            "des cas d'usage déjà en service dans des administrations",
            "les règles de confidentialité et de vérification à respecter",
            "une mise en pratique guidée sur des situations réelles",
        ),
        ("numerique-ia", "innovation-manageriale"),
        ("agents-publics", "managers"),
        ("lab-ministere", "operateur"),
    ),
    Topic(
        "Automatiser les tâches répétitives",
        "l'automatisation des tâches répétitives",
        "Les robots logiciels vont-ils libérer du temps aux agents ?",
        "libérer du temps aux agents en automatisant les tâches sans valeur ajoutée",
        "Des robots logiciels saisissent, vérifient et classent des données à la place des agents. "
        "En Occitanie, le programme Rob'O a déjà automatisé une dizaine de processus et fait gagner "
        "plus de mille heures de travail.",
        (
            "le repérage des tâches qui se prêtent à l'automatisation",
            "la démonstration d'un robot logiciel en fonctionnement",
            "l'accompagnement des équipes dont le travail change",
            "les conditions pour reproduire la démarche dans un autre service",
        ),
        ("numerique-ia", "simplification"),
        ("agents-publics", "managers"),
        ("liit", "lab-ministere"),
    ),
    Topic(
        "Piloter par la donnée",
        "la donnée au service des politiques publiques",
        "Nos données publiques sont-elles vraiment exploitées ?",
        "exploiter les données disponibles pour mieux décider et rendre des comptes",
        "Tableaux de bord, datavisualisation, ouverture des données : les administrations disposent "
        "de données précieuses qu'elles exploitent encore peu. Des agents montrent comment ils "
        "s'en servent pour piloter leurs actions.",
        (
            "l'inventaire des données utiles à un service",
            "la construction d'un tableau de bord partagé",
            "la datavisualisation pour rendre compte aux citoyens",
            "l'ouverture des données et leur réutilisation",
        ),
        ("numerique-ia", "innovation-manageriale"),
        ("agents-publics", "managers"),
        ("operateur", "lab-ministere"),
    ),
    Topic(
        "Initiation au design de services",
        "le design de services",
        "Et si l'on concevait les services publics avec leurs usagers ?",
        "concevoir un service public à partir des besoins réels de ses usagers",
        "Observer les usagers, cartographier leur parcours, prototyper vite et tester : le design "
        "de services est devenu une méthode de référence pour transformer les services publics.",
        (
            "l'observation d'usagers en situation réelle",
            "la carte d'expérience d'un parcours usager",
            "le prototypage rapide d'une solution",
            "le test du prototype et les enseignements à en tirer",
        ),
        ("design-de-services", "intelligence-collective"),
        ("agents-publics", "managers", "etudiants"),
        ("liit",),
    ),
    Topic(
        "Associer les citoyens aux décisions publiques",
        "la participation citoyenne",
        "Comment associer les habitants aux décisions qui les concernent ?",
        "concevoir une démarche de participation citoyenne sincère et utile",
        "Conventions citoyennes, jurys d'habitants, concertations en ligne : les démarches se "
        "multiplient. Leur réussite dépend de règles claires, de l'engagement des décideurs et d'un "
        "vrai retour vers les participants.",
        (
            "les différents niveaux de participation, de l'information à la codécision",
            "le tirage au sort et la diversité des participants",
            "des retours d'expérience de collectivités et de services de l'État",
            "la manière de rendre compte des suites données",
        ),
        ("participation-citoyenne", "intelligence-collective"),
        ("elus", "agents-publics", "grand-public"),
        ("collectivite", "association"),
    ),
    Topic(
        "Le budget participatif, mode d'emploi",
        "le budget participatif",
        "Faut-il confier une part du budget public aux habitants ?",
        "lancer un budget participatif qui mobilise au-delà des habitués",
        "Plusieurs centaines de collectivités confient désormais une part de leur budget "
        "d'investissement aux projets proposés et votés par les habitants.",
        (
            "le calendrier type d'un budget participatif",
            "les moyens d'aller chercher les publics qui ne participent jamais",
            "l'analyse de faisabilité des projets proposés",
            "le bilan de projets réalisés",
        ),
        ("participation-citoyenne",),
        ("elus", "grand-public", "agents-publics"),
        ("collectivite",),
    ),
    Topic(
        "Sobriété énergétique des bâtiments publics",
        "la sobriété énergétique des bâtiments publics",
        "Comment réduire la facture énergétique sans dégrader les conditions de travail ?",
        "réduire la consommation d'énergie des bâtiments publics avec leurs occupants",
        "Le décret tertiaire impose de réduire de 40 % la consommation d'énergie des bâtiments "
        "concernés d'ici 2030. Au-delà des travaux, les usages et les habitudes des occupants font "
        "une grande différence.",
        (
            "le suivi des consommations bâtiment par bâtiment",
            "les gestes et les réglages qui comptent vraiment",
            "la mobilisation des agents occupants des locaux",
            "des retours d'expérience de services déjà engagés",
        ),
        ("transition-ecologique", "sciences-comportementales"),
        ("agents-publics", "managers"),
        ("collectivite", "operateur"),
    ),
    Topic(
        "Planifier la transition écologique dans les territoires",
        "la planification écologique territoriale",
        "Comment décliner la planification écologique au plus près des territoires ?",
        "construire ensemble une feuille de route locale de transition écologique",
        "Les COP régionales déclinent la planification écologique au plus près des territoires. "
        "Elles réunissent l'État, les collectivités, les entreprises et les citoyens autour "
        "d'objectifs partagés.",
        (
            "les objectifs nationaux et leur traduction régionale",
            "le diagnostic partagé des enjeux du territoire",
            "la priorisation collective des actions",
            "le suivi et l'évaluation de la feuille de route",
        ),
        ("transition-ecologique", "participation-citoyenne", "intelligence-collective"),
        ("elus", "agents-publics"),
        ("liit", "collectivite"),
    ),
    Topic(
        "Partager l'eau en période de sécheresse",
        "la gestion partagée de l'eau",
        "Comment partager une ressource en eau qui se raréfie ?",
        "construire des règles de partage de l'eau comprises et acceptées par tous",
        "Restrictions, conflits d'usages, nappes au plus bas : la gestion de l'eau devient un "
        "sujet de concertation permanent entre services de l'État, élus, agriculteurs et habitants.",
        (
            "l'état de la ressource et les projections climatiques",
            "la parole des différents usagers de l'eau",
            "des outils de médiation pour les situations de crise",
            "les pistes d'économies d'eau à l'échelle du territoire",
        ),
        ("transition-ecologique", "participation-citoyenne"),
        ("elus", "agents-publics", "grand-public"),
        ("collectivite", "liit"),
    ),
    Topic(
        "Se déplacer sans voiture en zone rurale",
        "les mobilités du quotidien en zone rurale",
        "Peut-on vivre sans voiture à la campagne ?",
        "inventer des solutions de mobilité pour les habitants sans voiture",
        "Dans les territoires ruraux, l'absence de voiture limite l'accès à l'emploi, aux soins et "
        "aux services publics. Transport à la demande, covoiturage solidaire, services itinérants : "
        "les initiatives locales se multiplient.",
        (
            "les besoins de déplacement des habitants, recueillis sur le terrain",
            "un panorama des solutions testées ailleurs",
            "l'imagination de services adaptés au territoire",
            "le montage d'une expérimentation avec les partenaires locaux",
        ),
        ("transition-ecologique", "inclusion-accessibilite", "design-de-services"),
        ("elus", "agents-publics", "grand-public"),
        ("collectivite", "association"),
    ),
    Topic(
        "Le codéveloppement entre pairs",
        "le codéveloppement professionnel",
        "Et si la solution était chez vos collègues ?",
        "résoudre des situations professionnelles concrètes grâce à l'intelligence du groupe",
        "Le codéveloppement réunit des pairs qui s'aident, à tour de rôle, à avancer sur une "
        "situation professionnelle réelle, selon un déroulé précis et bienveillant.",
        (
            "les règles et les rôles d'une séance de codéveloppement",
            "deux séances complètes sur des situations apportées par les participants",
            "le retour sur ce que chacun retient",
            "les conditions pour lancer un groupe dans sa structure",
        ),
        ("innovation-manageriale", "intelligence-collective"),
        ("managers", "agents-publics"),
    ),
    Topic(
        "Animer des réunions qui servent à quelque chose",
        "la facilitation de réunions",
        "Pourquoi nos réunions nous épuisent-elles ?",
        "préparer et animer des réunions courtes, participatives et utiles",
        "La facilitation donne des outils simples pour que chacun puisse contribuer, que les "
        "décisions soient prises et que les réunions tiennent dans le temps prévu.",
        (
            "la préparation d'une réunion à partir de son objectif",
            "des techniques d'animation pour faire participer chacun",
            "la facilitation graphique pour garder la trace des échanges",
            "la mise en situation sur une réunion réelle",
        ),
        ("intelligence-collective", "innovation-manageriale"),
        ("agents-publics", "managers"),
    ),
    Topic(
        "Manager une équipe hybride",
        "le management des équipes hybrides",
        "Comment garder le collectif quand l'équipe est à moitié à distance ?",
        "organiser le travail et garder la cohésion d'une équipe en partie à distance",
        "Le télétravail s'est installé dans la fonction publique. Il oblige à repenser "
        "l'organisation, les rituels d'équipe et la place de la confiance dans le management.",
        (
            "les accords d'équipe et les rituels qui fonctionnent",
            "la prévention de l'isolement et de l'hyperconnexion",
            "les outils collaboratifs au service du collectif",
            "des témoignages d'encadrants de terrain",
        ),
        ("innovation-manageriale",),
        ("managers",),
        ("lab-ministere", "operateur"),
    ),
    Topic(
        "Bien accueillir les nouveaux agents",
        "l'accueil des nouveaux agents",
        "Comment réussir les premiers jours d'un nouvel agent ?",
        "concevoir un parcours d'intégration qui donne envie de rester",
        "Les premières semaines pèsent lourd dans la décision de rester ou de partir. Des services "
        "ont redessiné leur parcours d'intégration avec les agents récemment arrivés.",
        (
            "les témoignages d'agents arrivés dans l'année",
            "la carte du parcours d'intégration actuel et de ses irritants",
            "des idées d'amélioration à prototyper",
            "le kit d'accueil à adapter à son service",
        ),
        ("innovation-manageriale", "design-de-services"),
        ("managers", "agents-publics"),
    ),
    Topic(
        "Des services en ligne accessibles à toutes et tous",
        "l'accessibilité numérique des services en ligne",
        "Nos démarches en ligne sont-elles utilisables par tous ?",
        "rendre les démarches en ligne utilisables avec un lecteur d'écran ou au clavier",
        "Le référentiel général d'amélioration de l'accessibilité (RGAA) s'impose aux services "
        "publics en ligne. Pourtant, de nombreuses démarches restent difficiles à utiliser avec un "
        "lecteur d'écran ou sans souris.",
        (
            "une démonstration de navigation avec un lecteur d'écran",
            "les critères du RGAA les plus souvent en échec",
            "les tests à faire soi-même en dix minutes",
            "l'organisation d'un audit et d'un plan d'actions",
        ),
        ("inclusion-accessibilite", "numerique-ia"),
        ("agents-publics",),
        ("operateur", "lab-ministere"),
    ),
    Topic(
        "Simplifier les démarches en ligne",
        "les formulaires et les démarches en ligne",
        "Pourquoi nos formulaires demandent-ils encore des pièces déjà connues ?",
        "supprimer les questions inutiles et les pièces justificatives superflues",
        "Pièces déjà détenues par l'administration, questions inutiles, messages d'erreur "
        "incompréhensibles : la plupart des irritants des démarches en ligne peuvent être levés. "
        "Le principe « Dites-le-nous une fois » en est le fil conducteur.",
        (
            "l'analyse d'une démarche réelle, question par question",
            "l'échange de données entre administrations plutôt que les pièces justificatives",
            "des tests avec des usagers",
            "la nouvelle version de la démarche et son plan de déploiement",
        ),
        ("simplification", "design-de-services", "numerique-ia"),
        ("agents-publics",),
        ("operateur", "lab-ministere"),
    ),
    Topic(
        "Simplifier la vie des entreprises",
        "les démarches des entreprises",
        "Comment simplifier l'installation d'une entreprise sur le territoire ?",
        "réduire les délais et les interlocuteurs pour les entreprises du territoire",
        "Autorisations, délais d'instruction, interlocuteurs multiples : les chefs d'entreprise "
        "pointent les mêmes irritants. Les services de l'État et les collectivités cherchent avec "
        "eux des solutions concrètes.",
        (
            "les irritants recueillis auprès des entreprises",
            "le parcours d'un porteur de projet d'implantation",
            "les simplifications possibles sans changer la loi",
            "les propositions à remonter au niveau national",
        ),
        ("simplification",),
        ("agents-publics", "elus"),
        ("liit", "collectivite"),
    ),
    Topic(
        "Chasser les irritants du quotidien des agents",
        "les irritants du quotidien des agents",
        "Quelles règles internes pourrions-nous supprimer dès demain ?",
        "repérer et supprimer les procédures internes qui font perdre du temps",
        "Circuits de signature, outils qui ne communiquent pas, validations en cascade : les "
        "irritants internes coûtent du temps et de l'énergie. Beaucoup peuvent être levés "
        "localement, sans attendre une réforme.",
        (
            "le recueil des irritants vécus par les participants",
            "le tri entre ce qui se règle localement et ce qui remonte",
            "la construction de solutions en petits groupes",
            "les engagements pris et leur suivi",
        ),
        ("simplification", "innovation-manageriale", "intelligence-collective"),
        ("agents-publics", "managers"),
        ("liit", "lab-ministere"),
    ),
    Topic(
        "Améliorer le parcours des victimes de violences conjugales",
        "le parcours des victimes de violences conjugales",
        "Comment rendre le parcours des victimes plus simple et plus humain ?",
        "rendre plus lisible et plus humain le parcours des victimes de violences",
        "Dépôt de plainte, hébergement d'urgence, accompagnement juridique : les victimes se "
        "heurtent à des parcours fragmentés. Des laboratoires d'innovation ont travaillé avec les "
        "services concernés pour les rendre plus lisibles.",
        (
            "le parcours d'une victime, étape par étape",
            "la coordination entre forces de l'ordre, justice, santé et associations",
            "des outils conçus avec des victimes et des professionnels",
            "les enseignements pour d'autres territoires",
        ),
        ("design-de-services", "inclusion-accessibilite"),
        ("agents-publics", "elus"),
        ("liit", "association"),
    ),
    Topic(
        "Le parcours patient, de l'admission à la sortie",
        "le parcours des patients à l'hôpital",
        "Comment rendre l'hôpital plus simple pour les patients et leurs proches ?",
        "améliorer l'expérience des patients et des soignants tout au long du séjour",
        "Attente aux urgences, informations dispersées, sortie mal préparée : le parcours patient "
        "se conçoit avec les patients, leurs proches et les soignants.",
        (
            "les retours de patients et de représentants des usagers",
            "l'observation du parcours d'admission",
            "des solutions imaginées avec les équipes soignantes",
            "les premiers résultats d'une expérimentation",
        ),
        ("design-de-services", "inclusion-accessibilite"),
        ("agents-publics", "grand-public"),
        ("hopital",),
    ),
    Topic(
        "Prendre soin de la santé mentale des jeunes",
        "la santé mentale des jeunes",
        "Comment mieux repérer et accompagner les jeunes en souffrance ?",
        "mieux repérer et orienter les jeunes en difficulté psychique",
        "Les indicateurs de santé mentale des jeunes se sont dégradés ces dernières années. "
        "Établissements, services de santé et associations cherchent à mieux coordonner leur action.",
        (
            "les signaux d'alerte et les ressources existantes",
            "la parole de jeunes et de professionnels",
            "les parcours d'orientation à simplifier",
            "des actions de prévention co-construites",
        ),
        ("inclusion-accessibilite", "participation-citoyenne"),
        ("etudiants", "agents-publics", "grand-public"),
        ("hopital", "association"),
    ),
    Topic(
        "Imaginer le service public de 2050",
        "la prospective et le design fiction",
        "À quoi ressemblera le service public en 2050 ?",
        "imaginer des futurs possibles pour mieux décider aujourd'hui",
        "Le design fiction met en scène des objets et des situations venus du futur pour ouvrir "
        "le débat sur les choix à faire aujourd'hui.",
        (
            "des scénarios de futurs possibles pour un service public",
            "la fabrication d'objets venus du futur",
            "le débat sur ce que ces futurs disent de nos choix actuels",
            "les pistes à explorer dès maintenant",
        ),
        ("design-de-services", "intelligence-collective", "transition-ecologique"),
        ("agents-publics", "etudiants", "grand-public"),
    ),
    Topic(
        "La commande publique innovante",
        "la commande publique innovante",
        "L'achat public peut-il être un levier d'innovation ?",
        "acheter autrement pour encourager l'innovation et la transition écologique",
        "Sourcing, marchés d'innovation, clauses environnementales : l'achat public est un levier "
        "puissant pour faire émerger des solutions nouvelles, à condition d'être bien préparé.",
        (
            "le cadre juridique des achats innovants",
            "la rencontre avec des entreprises innovantes du territoire",
            "des clauses environnementales et sociales qui fonctionnent",
            "des retours d'expérience d'acheteurs publics",
        ),
        ("simplification", "transition-ecologique"),
        ("agents-publics", "managers"),
        ("collectivite", "operateur"),
    ),
    Topic(
        "Mesurer l'impact d'un projet d'innovation",
        "l'évaluation de l'impact des projets innovants",
        "Comment savoir si un projet innovant a vraiment changé les choses ?",
        "prouver l'utilité d'une expérimentation avant de la généraliser",
        "Une expérimentation ne se généralise que si l'on sait montrer ce qu'elle change pour les "
        "usagers et les agents. L'évaluation se prépare dès le lancement du projet.",
        (
            "la construction d'une chaîne de valeur et de ses indicateurs",
            "les méthodes qualitatives et quantitatives accessibles à tous",
            "l'exemple d'une expérimentation évaluée puis généralisée",
            "un modèle de plan d'évaluation à réutiliser",
        ),
        ("innovation-manageriale",),
        ("managers", "agents-publics"),
        ("lab-ministere", "liit"),
    ),
    Topic(
        "Les communs numériques dans le secteur public",
        "les communs numériques",
        "Pourquoi les administrations devraient-elles partager leurs logiciels ?",
        "mutualiser les outils numériques entre administrations plutôt que de les réinventer",
        "Logiciels libres, bases de données ouvertes, outils mutualisés : les communs numériques "
        "évitent de payer plusieurs fois le même développement et renforcent l'autonomie des "
        "administrations.",
        (
            "ce qu'est un commun numérique et comment il est gouverné",
            "des logiciels libres déjà utilisés par des collectivités",
            "les conditions pour contribuer plutôt que consommer",
            "le montage d'une communauté d'utilisateurs",
        ),
        ("numerique-ia", "participation-citoyenne"),
        ("agents-publics", "elus"),
        ("association", "collectivite"),
    ),
    Topic(
        "Vers un numérique public plus sobre",
        "la sobriété numérique",
        "Le numérique public peut-il réduire son empreinte environnementale ?",
        "réduire l'empreinte environnementale des services numériques publics",
        "Les terminaux représentent l'essentiel de l'empreinte du numérique. Allonger leur durée "
        "de vie et concevoir des services plus légers sont les leviers les plus efficaces.",
        (
            "les ordres de grandeur de l'empreinte du numérique",
            "l'allongement de la durée de vie des équipements",
            "l'écoconception des services en ligne",
            "un plan d'actions pour sa structure",
        ),
        ("numerique-ia", "transition-ecologique"),
        ("agents-publics", "managers"),
        ("operateur", "lab-ministere"),
    ),
    Topic(
        "Les tiers-lieux, nouveaux espaces du service public",
        "les tiers-lieux",
        "Les tiers-lieux peuvent-ils rapprocher les services publics des habitants ?",
        "faire des tiers-lieux des relais de services publics au plus près des habitants",
        "Espaces de travail partagés, fabriques, lieux de médiation : les tiers-lieux accueillent "
        "de plus en plus de permanences de services publics et de projets collectifs.",
        (
            "la visite d'un tiers-lieu et de ses activités",
            "les partenariats possibles avec les services publics",
            "les modèles économiques et la gouvernance",
            "les projets à lancer ensemble",
        ),
        ("intelligence-collective", "participation-citoyenne"),
        ("agents-publics", "elus", "grand-public"),
        ("association", "collectivite"),
    ),
    Topic(
        "Monter un laboratoire d'innovation publique",
        "la conduite d'un laboratoire d'innovation publique",
        "À quoi sert un laboratoire d'innovation publique ?",
        "comprendre comment un lab accompagne les projets des agents et des services",
        "Plus de 130 laboratoires d'innovation publique accompagnent les administrations, les "
        "collectivités et les hôpitaux. Ils partagent leurs méthodes, leurs projets et leurs "
        "conseils pour se lancer.",
        (
            "les missions et l'organisation d'un lab",
            "des projets accompagnés et leurs résultats",
            "les méthodes et les outils d'un lab",
            "les conseils pour créer un lab dans sa structure",
        ),
        ("innovation-manageriale", "intelligence-collective"),
        ("managers", "agents-publics", "elus"),
        ("liit", "lab-ministere"),
    ),
    Topic(
        "Une restauration collective plus durable",
        "la restauration collective durable",
        "Comment proposer des repas durables sans faire exploser les coûts ?",
        "atteindre les objectifs de la loi Égalim dans les cantines et restaurants administratifs",
        "La loi Égalim fixe des objectifs de produits durables et de qualité dans la restauration "
        "collective publique. Acheteurs, cuisiniers et convives cherchent ensemble comment les "
        "atteindre.",
        (
            "les objectifs de la loi Égalim et où en sont les établissements",
            "l'approvisionnement auprès des producteurs locaux",
            "la lutte contre le gaspillage alimentaire",
            "l'association des convives aux menus",
        ),
        ("transition-ecologique", "participation-citoyenne"),
        ("agents-publics", "elus"),
        ("collectivite", "hopital"),
    ),
    Topic(
        "Rendre les métiers publics attractifs",
        "l'attractivité des métiers publics",
        "Comment donner envie de rejoindre le service public ?",
        "mieux faire connaître les métiers publics et faciliter les recrutements",
        "Infirmiers, enseignants, ingénieurs, secrétaires de mairie : de nombreux métiers publics "
        "peinent à recruter. Des employeurs publics repensent leurs offres et leurs parcours de "
        "recrutement.",
        (
            "les métiers en tension sur le territoire",
            "des offres d'emploi réécrites avec des candidats",
            "des parcours de recrutement simplifiés",
            "la marque employeur et les ambassadeurs",
        ),
        ("innovation-manageriale", "simplification"),
        ("managers", "etudiants"),
        ("collectivite", "hopital", "operateur"),
    ),
    Topic(
        "L'engagement des jeunes dans la vie publique",
        "l'engagement des jeunes",
        "Comment donner aux jeunes une vraie place dans les décisions publiques ?",
        "associer les jeunes à la conception des politiques qui les concernent",
        "Conseils de jeunes, service civique, budgets participatifs dédiés : les jeunes "
        "s'engagent quand on leur donne une place réelle et un retour sur ce qu'ils proposent.",
        (
            "les dispositifs d'engagement existants",
            "la parole de jeunes engagés",
            "des méthodes d'animation adaptées",
            "les projets proposés et leurs suites",
        ),
        ("participation-citoyenne",),
        ("etudiants", "elus", "grand-public"),
        ("collectivite", "association"),
    ),
)


@dataclass(frozen=True)
class FormatSpec:
    """How events of one format are worded and timed."""

    titles: tuple[str, ...]                     # {where}: « à Quimper » for some events on site
    summary: str                                # « Un atelier pour {goal}. »
    intro: str                                  # first sentence of the description
    opening: str
    closing: str
    slots: tuple[tuple[str, int], ...]          # (local start "HH:MM", duration in minutes)
    capacities: tuple[int | None, ...]
    demand: int                                 # typical number of people wanting to come
    registration_weights: tuple[int, int, int]  # internal, external, none
    weekend: bool = False                       # held on Saturdays and Sundays too
    extra_days: tuple[int, ...] = (0,)          # multi-day events (e.g. hackathons)
    tags: tuple[str, ...] = field(default=())


FORMAT_SPECS: dict[str, FormatSpec] = {
    "conference": FormatSpec(
        ("Conférence : {short}{where}", "{short} : retours d'expérience", "{question}", "{short}{where}"),
        "Une conférence pour {goal}.",
        "Cette conférence fait le point sur {np}, avec des intervenants de terrain.",
        "Accueil et ouverture", "Échanges avec la salle",
        (("09:30", 120), ("10:00", 120), ("14:00", 150), ("14:30", 120), ("18:00", 90)),
        (60, 80, 100, 120, 150, 200, None), 90, (70, 15, 15),
    ),
    "webinaire": FormatSpec(
        ("Webinaire : {short}", "{short} (webinaire)", "Une heure pour comprendre {np}"),
        "Un webinaire pour {goal}.",
        "Ce webinaire présente {np} en une heure, exemples à l'appui.",
        "Introduction et présentation des intervenants", "Questions-réponses avec les participants",
        (("10:00", 60), ("11:00", 60), ("12:30", 60), ("14:00", 90), ("16:00", 60)),
        (None, 100, 150, 200, 300, 500), 140, (75, 15, 10),
    ),
    "formation": FormatSpec(
        ("Formation : {short}{where}", "Se former : {short}", "Initiation : {short}{where}"),
        "Une formation pratique pour {goal}.",
        "Cette formation donne les bases pour travailler sur {np}, avec beaucoup de pratique.",
        "Tour de table des attentes", "Plan d'action individuel et ressources pour aller plus loin",
        (("09:00", 180), ("09:30", 390), ("14:00", 180)),
        (12, 15, 20, 25, 30), 20, (85, 10, 5),
    ),
    "atelier-collaboratif": FormatSpec(
        ("Atelier : {short}{where}", "Atelier collaboratif : {short}{where}", "{short} : un atelier pour passer à l'action"),
        "Un atelier collaboratif pour {goal}.",
        "Cet atelier propose de travailler en petits groupes sur {np}.",
        "Accueil et inclusion du groupe", "Restitution collective et suites à donner",
        (("09:00", 180), ("09:30", 150), ("14:00", 180), ("14:30", 150)),
        (12, 15, 20, 25, 30, 40), 22, (85, 10, 5),
    ),
    "simplificathon": FormatSpec(
        ("Simplificathon : {short}{where}", "Simplificathon {place} : {short}"),
        "Une journée de simplificathon pour {goal}.",
        "Ce simplificathon réunit agents, usagers et partenaires pendant une journée pour "
        "simplifier concrètement {np}.",
        "Présentation des défis de simplification", "Présentation des solutions devant un jury et engagements",
        (("09:00", 480), ("09:30", 450)),
        (30, 40, 50, 60), 40, (80, 15, 5), weekend=True,
    ),
    "debat-citoyen": FormatSpec(
        ("Débat citoyen : {question}", "Débat : {question}"),
        "Un débat ouvert à tous pour {goal}.",
        "Ce débat citoyen invite habitants, élus et agents à échanger sur {np}.",
        "Présentation des enjeux par des témoins", "Synthèse des propositions et suites données",
        (("18:00", 120), ("18:30", 120), ("14:00", 150)),
        (40, 60, 80, 100, None), 60, (60, 10, 30), weekend=True,
    ),
    "module-formation": FormatSpec(
        ("Module de formation : {short}", "{short} (module de formation)"),
        "Un module de formation court pour {goal}.",
        "Ce module de formation fait partie d'un parcours consacré à {np}.",
        "Rappel des objectifs du module", "Évaluation et exercice à faire dans son service",
        (("09:30", 120), ("14:00", 120), ("10:00", 90)),
        (15, 20, 25, 30, 50), 20, (80, 15, 5),
    ),
    "table-ronde": FormatSpec(
        ("Table ronde : {short}", "Table ronde : {question}"),
        "Une table ronde pour {goal}.",
        "Cette table ronde croise les regards d'élus, d'agents et d'usagers sur {np}.",
        "Présentation des intervenants", "Questions du public",
        (("14:00", 90), ("17:30", 90), ("10:00", 90)),
        (50, 80, 100, 150, None), 70, (70, 15, 15),
    ),
    "portes-ouvertes": FormatSpec(
        ("Portes ouvertes : {org}", "Journée portes ouvertes : {org}"),
        "Une journée portes ouvertes pour découvrir les projets et les méthodes de l'équipe.",
        "L'équipe ouvre ses portes pour présenter ses projets, notamment sur {np}.",
        "Accueil et visite des lieux", "Échanges libres avec l'équipe autour d'un café",
        (("10:00", 420), ("13:30", 240)),
        (None, 50, 80, 100), 60, (30, 5, 65), weekend=True,
    ),
    "sprint-creatif": FormatSpec(
        ("Sprint créatif : {short}{where}", "{short} : sprint créatif"),
        "Un sprint créatif pour {goal}.",
        "Ce sprint créatif enchaîne idéation, prototypage et test autour de {np}.",
        "Cadrage du défi et constitution des équipes", "Test des prototypes et restitution",
        (("09:00", 420), ("09:30", 390)),
        (15, 20, 25, 30), 20, (85, 10, 5), extra_days=(0, 0, 1),
    ),
    "hackathon": FormatSpec(
        ("Hackathon : {short}", "Hackathon {place} : {short}"),
        "Un hackathon pour {goal}.",
        "Ce hackathon réunit développeurs, designers, agents et usagers pour prototyper des "
        "solutions autour de {np}.",
        "Présentation des défis et des jeux de données", "Démonstration des prototypes et remise des prix",
        (("09:00", 480),),
        (30, 40, 50, 60, 80), 55, (70, 25, 5), weekend=True, extra_days=(1, 1, 0),
    ),
    "visite": FormatSpec(
        ("Visite apprenante : {short}{where}", "Visite de terrain : {short}{where}"),
        "Une visite apprenante pour {goal}.",
        "Cette visite apprenante permet de découvrir sur le terrain un projet consacré à {np}.",
        "Présentation du projet par l'équipe qui l'a porté", "Échanges sur ce qui est transposable ailleurs",
        (("09:30", 150), ("14:00", 150), ("10:00", 120)),
        (10, 12, 15, 20, 25), 14, (85, 5, 10), weekend=True,
    ),
    "exposition": FormatSpec(
        ("Exposition : {short}{where}", "Exposition « {short} »{where}"),
        "Une exposition pour {goal}.",
        "Cette exposition présente des projets et des témoignages autour de {np}.",
        "Parcours libre dans l'exposition", "Livre d'or : vos idées pour la suite",
        (("10:00", 480), ("09:00", 540)),
        (None, 100), 50, (15, 5, 80), weekend=True, extra_days=(0, 0, 4),
    ),
}

#: Formats by mode, with their weights (webinars are online only; visits in person only).
FORMATS_BY_MODE: dict[str, tuple[tuple[str, int], ...]] = {
    "presentiel": (
        ("conference", 12), ("formation", 8), ("atelier-collaboratif", 22), ("simplificathon", 8),
        ("debat-citoyen", 5), ("module-formation", 4), ("table-ronde", 7), ("portes-ouvertes", 6),
        ("sprint-creatif", 4), ("hackathon", 3), ("visite", 6), ("exposition", 3),
    ),
    "en-ligne": (
        ("webinaire", 55), ("conference", 10), ("formation", 8), ("module-formation", 8),
        ("table-ronde", 8), ("atelier-collaboratif", 8), ("debat-citoyen", 3),
    ),
    "hybride": (
        ("conference", 35), ("table-ronde", 25), ("debat-citoyen", 15), ("formation", 10),
        ("atelier-collaboratif", 10), ("simplificathon", 5),
    ),
}

#: « aux agents publics » — how each audience reads after « s'adresse ».
AUDIENCE_PHRASES: dict[str, str] = {
    "agents-publics": "aux agents des trois fonctions publiques",
    "managers": "aux encadrants",
    "elus": "aux élus",
    "grand-public": "au grand public",
    "etudiants": "aux étudiants",
}

NO_PREREQUISITE = (
    "Aucun prérequis n'est nécessaire.",
    "Aucune connaissance préalable n'est demandée.",
    "Débutants bienvenus : aucun prérequis.",
    "Il n'est pas nécessaire de connaître le sujet pour participer.",
)

IN_PERSON_PRACTICAL = (
    "Accueil un quart d'heure avant le début.",
    "Merci de vous présenter à l'accueil avec une pièce d'identité.",
    "Accueil café dès l'ouverture des portes.",
    "Le lieu est accessible en transports en commun.",
)
ONLINE_PRACTICAL = (
    "L'événement a lieu en ligne : le lien de connexion est envoyé aux personnes inscrites la veille.",
    "En visioconférence : pensez à tester votre micro et votre caméra avant le début.",
    "En ligne, avec sous-titrage en direct ; le support est envoyé après la séance.",
)
HYBRID_PRACTICAL = (
    "Sur place ou à distance, au choix : le lien de connexion est envoyé la veille.",
    "Participation possible sur place ou en ligne ; précisez votre choix à l'inscription.",
)
REGISTRATION_PRACTICAL = {
    "internal": "Gratuit, sur inscription, dans la limite des places disponibles.",
    "internal-unlimited": "Gratuit, sur inscription.",
    "external": "Gratuit, inscription sur le site de l'organisateur.",
    "none": "Entrée libre et gratuite, sans inscription.",
}
ORGANISER_SENTENCE = (
    "Organisation : {org}.",
    "Organisateur : {org}.",
    "Contact : l'équipe de l'organisateur, {org}, répond à vos questions.",
)

ACCESSIBILITY_IN_PERSON = (
    "Salle accessible aux personnes à mobilité réduite. Boucle magnétique sur demande.",
    "Lieu accessible de plain-pied ; merci de signaler tout besoin particulier lors de l'inscription.",
    "Accessible en fauteuil roulant (ascenseur). Interprétation en langue des signes sur demande, "
    "au moins dix jours avant.",
    "Salle au premier étage avec ascenseur ; places de stationnement réservées devant l'entrée.",
)
ACCESSIBILITY_ONLINE = (
    "Sous-titrage en direct. Les supports sont envoyés en amont dans un format accessible.",
    "Visioconférence utilisable au clavier et avec un lecteur d'écran ; transcription envoyée après la séance.",
)

STREETS = (
    "rue de la République", "avenue Jean-Jaurès", "place de la Mairie", "boulevard Victor-Hugo",
    "rue Pasteur", "rue Gambetta", "avenue de la Libération", "place du Général-de-Gaulle",
    "rue Nationale", "rue des Écoles", "rue Jules-Ferry", "quai des Arts", "allée des Tilleuls",
    "rue du Commerce", "avenue de la Gare", "rue Lamartine", "boulevard de la Liberté",
    "rue Aristide-Briand", "rue Voltaire", "place de l'Hôtel-de-Ville", "rue Émile-Zola",
    "rue Marcel-Pagnol", "avenue Simone-Veil", "rue Saint-Louis",
)
LIBRARY_NAMES = (
    "François-Mitterrand", "Simone-Veil", "Louise-Michel", "Jacques-Prévert", "Aimé-Césaire",
    "Olympe-de-Gouges", "Albert-Camus", "Colette", "George-Sand", "Marie-Curie",
)
THIRD_PLACE_NAMES = (
    "La Fabrique", "Le Hangar", "La Ruche", "L'Atelier commun", "La Coopérative", "Le Plateau",
    "La Passerelle", "Le Quai", "La Grange", "L'Usine à projets",
)
GENERIC_VENUES = (
    "Médiathèque {library}", "Espace France services {city_de}", "Tiers-lieu {third_place}",
    "Cité administrative {city_de}", "Maison des associations {city_de}",
    "Campus universitaire, amphithéâtre {letter}", "Hôtel de ville {city_de}",
)
VENUES_BY_KIND: dict[str, tuple[str, ...]] = {
    "liit": ("Locaux du laboratoire, {org}", "Préfecture {dept_de}", "Tiers-lieu {third_place}",
             "Cité administrative {city_de}"),
    "lab-ministere": ("{org}, salle de créativité", "Cité administrative {city_de}"),
    "collectivite": ("Hôtel de ville {city_de}", "Médiathèque {library}", "Maison des associations {city_de}"),
    "hopital": ("{org}, salle de conférences", "{org}, institut de formation"),
    "operateur": ("{org}, espace d'accueil", "Cité administrative {city_de}", "Espace France services {city_de}"),
    "association": ("Maison des associations {city_de}", "Tiers-lieu {third_place}", "Médiathèque {library}"),
    "autre": ("{org}, salle de réunion", "Tiers-lieu {third_place}"),
}

ONLINE_URL_PATTERNS = (
    "https://webinaire.numerique.gouv.fr/meeting/{slug}",
    "https://webconf.numerique.gouv.fr/{slug}",
    "https://visio.numerique.gouv.fr/{slug}",
)
EXTERNAL_REGISTRATION_PATTERNS = (
    "https://www.demarches-simplifiees.fr/commencer/{slug}",
    "https://framaforms.org/{slug}-{number}",
    "https://evenements.{domain}/inscription/{slug}",
)

CHANGE_REQUEST_COMMENTS = (
    "Merci de préciser le public visé et d'ajouter l'adresse exacte du lieu.",
    "Le descriptif est un peu court : pouvez-vous détailler le déroulé de la séance ?",
    "Pouvez-vous indiquer les conditions d'accessibilité de la salle ?",
    "Les horaires semblent incohérents avec la durée annoncée : merci de vérifier.",
    "Merci d'ajouter le nom des intervenants et de préciser s'il faut apporter quelque chose.",
)
RESUBMISSION_COMMENTS = (
    "Descriptif complété et adresse précisée.",
    "Accessibilité et intervenants ajoutés, merci !",
    "Horaires corrigés.",
    None,
)
REJECTION_COMMENTS = (
    "Il s'agit d'une réunion interne de service, non ouverte à d'autres participants : elle ne "
    "peut pas figurer au programme.",
    "L'événement est payant, ce qui n'est pas compatible avec la charte du Mois de l'innovation "
    "publique (les événements sont gratuits).",
    "Cet événement fait doublon avec une session déjà publiée par la même équipe le même jour.",
    "L'organisateur n'est pas un acteur public et aucun partenaire public n'est associé : "
    "l'événement relève d'une démarche commerciale.",
)
CANCELLATION_REASONS = (
    "L'intervenant principal ne peut plus être présent ; une nouvelle date sera proposée en décembre.",
    "La salle n'est plus disponible à cette date. Toutes nos excuses aux personnes inscrites.",
    "Trop peu d'inscriptions pour que l'atelier se tienne dans de bonnes conditions.",
    "Contraintes de service imprévues : l'événement est reporté à une date ultérieure.",
)
OVERSEAS_CANCELLATION_REASON = (
    "Alerte météo (vigilance cyclonique) : l'événement est annulé par précaution."
)
ACCESSIBILITY_NEEDS = (
    "Accès en fauteuil roulant.",
    "Boucle magnétique, s'il vous plaît.",
    "Interprète en langue des signes française.",
    "Supports transmis à l'avance (malvoyance).",
    "Place assise près de la sortie.",
)

#: Yearly headlines of real editions (editions.csv); other years cycle through HEADLINES.
KNOWN_HEADLINES: dict[int, str] = {
    2020: "La transformation publique au cœur des territoires",
    2021: "L'innovation ouverte",
    2022: "La coproduction",
    2023: "La simplification",
    2024: "Sous le signe de la simplification",
}
HEADLINES = (
    "Simplifier, avec les usagers",
    "L'intelligence artificielle au service des agents et des usagers",
    "Innover pour la transition écologique",
    "Le service public au plus près des territoires",
    "Faire avec les citoyens",
)
EDITION_DESCRIPTION = (
    "Chaque année en novembre, le Mois de l'innovation publique réunit agents publics, élus, "
    "usagers et partenaires autour de méthodes, d'expérimentations et de résultats concrets. "
    "Piloté par la Direction interministérielle de la transformation publique (DITP), il est "
    "porté par les laboratoires d'innovation publique et par tous les acteurs de l'intérêt "
    "général, partout en France, dans l'Hexagone comme dans les outre-mer.\n\n"
    "Thème de l'édition {year} : **{headline}**. Tous les événements sont gratuits."
)


def headline_for(year: int) -> str:
    return KNOWN_HEADLINES.get(year) or HEADLINES[year % len(HEADLINES)]


# « à » and « de » before a noun phrase that starts with its article.
_CONTRACTIONS = {"à": {"le ": "au ", "les ": "aux "}, "de": {"le ": "du ", "les ": "des "}}


def preposition(word: str, np: str) -> str:
    """« à » + « le langage clair » → « au langage clair »; « de » + « les tiers-lieux » → « des tiers-lieux »."""
    for article, contracted in _CONTRACTIONS[word].items():
        if np.startswith(article):
            return contracted + np[len(article):]
    if word == "de" and np[:1].lower() in "aeéèêiîoôuhy":
        return "d'" + np
    return f"{word} {np}"
