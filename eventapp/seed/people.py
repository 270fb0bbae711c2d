"""French names, employers and job titles of the demo's agents and organisers."""

FEMALE_FIRST_NAMES = (
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Claire", "Sophie",
    "Anne", "Marie", "Nathalie", "Isabelle", "Céline", "Aurélie", "Émilie", "Laure", "Hélène",
    "Pauline", "Mathilde", "Charlotte", "Lucie", "Élodie", "Sandrine", "Valérie", "Karine",
    "Agnès", "Fatima", "Yasmina", "Leïla", "Awa", "Maëlle", "Nolwenn", "Gwenaëlle", "Océane",
    "Margaux", "Justine", "Juliette", "Anaïs", "Clémence", "Louise", "Alice", "Zoé", "Jeanne",
    "Christelle", "Murielle", "Sylvie", "Corinne", "Myriam", "Samia", "Noémie", "Ophélie",
)
MALE_FIRST_NAMES = (
    "Thomas", "Nicolas", "Julien", "Maxime", "Antoine", "Alexandre", "Guillaume", "Romain",
    "Pierre", "Jean", "Philippe", "François", "Olivier", "Laurent", "Sébastien", "Christophe",
    "Stéphane", "David", "Frédéric", "Éric", "Mathieu", "Benoît", "Vincent", "Jérôme", "Hugo",
    "Lucas", "Louis", "Paul", "Arthur", "Théo", "Karim", "Mehdi", "Youssef", "Moussa", "Yann",
    "Erwan", "Gwendal", "Loïc", "Cédric", "Fabrice", "Patrick", "Thierry", "Bruno", "Didier",
    "Hervé", "Xavier", "Damien", "Florian", "Bastien", "Adrien", "Samuel", "Rémi", "Jonathan",
)
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
    "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément",
    "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez",
    "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger",
    "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Perez", "Marchand", "Dufour",
    "Blanchard", "Marie", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin",
    "Fernandez", "Pierre", "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc",
    "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard", "Philippe", "Leclercq",
    "Lacroix", "Fabre", "Dupuis", "Olivier", "Rodriguez", "Da Silva", "Hubert", "Louis",
    "Charles", "Guillot", "Rivière", "Le Gall", "Guillaume", "Adam", "Rey", "Moulin", "Gonzalez",
    "Berger", "Lecomte", "Menard", "Fleury", "Deschamps", "Carpentier", "Julien", "Benoît",
    "Paris", "Maillard", "Marchal", "Aubry", "Vasseur", "Le Roux", "Renault", "Jacquet",
    "Collet", "Prévost", "Poirier", "Charpentier", "Royer", "Huet", "Baron", "Dupuy", "Pons",
    "Paul", "Laine", "Carré", "Breton", "Rémy", "Schneider", "Perrot", "Guyot", "Barre", "Marty",
    "Cousin", "Le Goff", "Le Corre", "Kerbrat", "Payet", "Hoarau", "Grondin", "Techer",
    "Jean-Baptiste", "Joseph", "Alexis", "Saint-Louis", "Attoumani", "Madi", "Ben Ali", "Haddad",
    "Benali", "Diallo", "Traoré", "Mendy", "Kouassi", "Nguyen Van", "Tran", "Ferreira", "Pereira",
)

#: (masculine, feminine) job titles of agents: common ones, then by kind of employer.
COMMON_JOB_TITLES = (
    ("Chargé de mission", "Chargée de mission"),
    ("Chef de bureau", "Cheffe de bureau"),
    ("Gestionnaire ressources humaines", "Gestionnaire ressources humaines"),
    ("Directeur adjoint", "Directrice adjointe"),
    ("Chef de projet numérique", "Cheffe de projet numérique"),
    ("Attaché d'administration", "Attachée d'administration"),
    ("Secrétaire général", "Secrétaire générale"),
    ("Designer de services", "Designer de services"),
    ("Data scientist", "Data scientist"),
    ("Juriste", "Juriste"),
    ("Responsable qualité", "Responsable qualité"),
    ("Chargé de communication", "Chargée de communication"),
    ("Chef de service", "Cheffe de service"),
    ("Responsable des achats", "Responsable des achats"),
    ("Chargé d'études statistiques", "Chargée d'études statistiques"),
    ("Assistant de direction", "Assistante de direction"),
)
JOB_TITLES_BY_SECTOR = {
    "etat": (
        ("Agent d'accueil", "Agente d'accueil"), ("Instructeur", "Instructrice"),
        ("Contrôleur", "Contrôleuse"), ("Chargé de mission", "Chargée de mission"),
    ),
    "finances": (
        ("Inspecteur des finances publiques", "Inspectrice des finances publiques"),
        ("Contrôleur des finances publiques", "Contrôleuse des finances publiques"),
    ),
    "sante": (("Cadre de santé", "Cadre de santé"), ("Infirmier", "Infirmière"),
              ("Directeur des soins", "Directrice des soins")),
    "collectivite": (
        ("Ingénieur territorial", "Ingénieure territoriale"), ("Conseiller numérique", "Conseillère numérique"),
        ("Agent d'accueil", "Agente d'accueil"), ("Technicien", "Technicienne"),
    ),
    "commune": (("Secrétaire de mairie", "Secrétaire de mairie"), ("Agent d'accueil", "Agente d'accueil"),
                ("Conseiller numérique", "Conseillère numérique")),
    "social": (("Travailleur social", "Travailleuse sociale"), ("Conseiller numérique", "Conseillère numérique"),
               ("Agent d'accueil", "Agente d'accueil")),
    "protection": (("Conseiller", "Conseillère"), ("Agent d'accueil", "Agente d'accueil"),
                   ("Instructeur", "Instructrice"),
                   ("Conseiller en évolution professionnelle", "Conseillère en évolution professionnelle")),
    "education": (("Professeur des écoles", "Professeure des écoles"), ("Inspecteur de l'éducation nationale",
                   "Inspectrice de l'éducation nationale"), ("Conseiller pédagogique", "Conseillère pédagogique")),
    "universite": (("Enseignant-chercheur", "Enseignante-chercheuse"), ("Ingénieur d'études", "Ingénieure d'études")),
}
ORGANISER_JOB_TITLES = (
    ("Responsable du laboratoire", "Responsable du laboratoire"),
    ("Chargé de mission innovation", "Chargée de mission innovation"),
    ("Designer de services", "Designer de services"),
    ("Facilitateur", "Facilitatrice"),
    ("Chef de projet transformation", "Cheffe de projet transformation"),
)

#: Employers, from the region and one of its cities (``{dept_de}``: « du Finistère »,
#: ``{city_de}``: « du Mans », ``{capital_de}``: « de Rennes »), with their weights.
REGIONAL_ADMINISTRATIONS = (
    ("Préfecture {dept_de}", 6, "etat"),
    ("Direction départementale des territoires {dept_de}", 3, "etat"),
    ("Direction départementale des finances publiques {dept_de}", 4, "finances"),
    ("DREETS {region}", 2, "etat"),
    ("DREAL {region}", 2, "etat"),
    ("Agence régionale de santé {region}", 2, "sante"),
    ("Rectorat de l'académie {capital_de}", 3, "education"),
    ("Département {dept_de}", 6, "collectivite"),
    ("Région {region}", 3, "collectivite"),
    ("Ville {city_de}", 9, "commune"),
    ("CCAS {city_de}", 3, "social"),
    ("Centre hospitalier {city_de}", 5, "sante"),
    ("Caisse d'allocations familiales {dept_de}", 3, "protection"),
    ("Caisse primaire d'assurance maladie {dept_de}", 3, "protection"),
    ("France Travail {region}", 3, "protection"),
    ("URSSAF {region}", 1, "protection"),
    ("Université {capital_de}", 2, "universite"),
)
NATIONAL_ADMINISTRATIONS = (
    "Ministère de l'Intérieur", "Ministère des Armées", "Ministère de la Justice",
    "Ministère du Travail", "Ministère de l'Éducation nationale", "Ministère de la Culture",
    "Ministère de l'Agriculture", "Ministère de la Transition écologique",
    "Ministère de l'Économie et des Finances", "Direction interministérielle du numérique (DINUM)",
    "Direction interministérielle de la transformation publique (DITP)", "INSEE", "Météo-France",
    "Office français de la biodiversité", "Caisse nationale d'assurance vieillesse",
)
STUDENT_ADMINISTRATIONS = (
    "Institut national du service public (INSP), élève",
    "Institut régional d'administration, élève",
    "Sciences Po, master affaires publiques",
    "Université, master administration publique",
)

#: Where the regional capital does not name the académie or the university.
ACADEMY_OVERRIDES = {
    "93": "Rectorat de l'académie d'Aix-Marseille", "24": "Rectorat de l'académie d'Orléans-Tours",
    "28": "Rectorat de l'académie de Normandie", "94": "Rectorat de Corse",
    "01": "Rectorat de la Guadeloupe", "02": "Rectorat de la Martinique", "03": "Rectorat de la Guyane",
    "04": "Rectorat de La Réunion", "06": "Rectorat de Mayotte",
}
UNIVERSITY_OVERRIDES = {
    "11": "Université Paris Cité", "93": "Aix-Marseille Université", "52": "Nantes Université",
    "28": "Université de Rouen Normandie", "84": "Université Claude-Bernard Lyon 1",
    "27": "Université de Bourgogne",
    "01": "Université des Antilles", "02": "Université des Antilles", "03": "Université de Guyane",
    "04": "Université de La Réunion", "06": "Université de Mayotte", "94": "Université de Corse",
}
