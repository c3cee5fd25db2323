//! What document 002 asks of a regioplan, as data: the topics of bijlage 1, the information
//! system's seven requirements (bijlage 2), the disciplines the local network must at least
//! hold, and the kinds of cost the budget makes transparent. Every part cites the sentence that
//! asks for it (the test `every_quote_is_in_the_document` finds each one in the text), and the
//! parts that map to a fact of the policy name it, so that the engine checks the plan as the
//! policy's conditions say.

/// The policy whose regioplan this is.
pub const POLICY: &str = "oi-2026-2027";

/// The document all quotes below are from.
pub const DOCUMENT: &str = "002_c262c2a5b23951c5.txt";

/// A part of the plan that the document asks for, with the passage that asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// The part's id; for a topic the value of the fact `regional_plan_topics` it stands for.
    pub id: &'static str,
    /// The Dutch name shown.
    pub label: &'static str,
    /// What the RO writes about, in the document's words.
    pub asks: &'static str,
    pub section: &'static str,
    pub quote: &'static str,
}

impl Part {
    /// The passage, as the policy files cite one.
    pub fn source(&self) -> zorginkoop_policy::Source {
        zorginkoop_policy::Source {
            document: DOCUMENT.to_string(),
            section: self.section.to_string(),
            quote: self.quote.to_string(),
        }
    }
}

const BIJLAGE_1: &str = "Bijlage 1: Inkoopspecificaties O&I regioplan";

/// The topics a regioplan treats: the plan's foundation (mission, vision, strategy; activities,
/// results and costs) and the nine topics of bijlage 1. The nine carry the values of the fact
/// `regional_plan_topics` that the condition `regional-plan-topics` checks.
pub const TOPICS: &[Part] = &[
    Part {
        id: "mission",
        label: "Missie, visie en strategie",
        asks: "Waar de regio-organisatie voor staat (missie), welke doelen u nastreeft (visie) en hoe u die bereikt (strategie), onderbouwd vanuit de behoefte van de regio; de activiteiten, resultaten en kosten.",
        section: "Contracteerprocedure",
        quote: "U beschrijft in het regioplan waar de regio-organisatie voor staat (missie), welke doelen u nastreeft (visie) en hoe u deze doelen gaat bereiken (strategie).",
    },
    Part {
        id: "oi_levels",
        label: "Organisatie & Infrastructuur: taken op praktijk-, wijk- en regioniveau",
        asks: "De taken en verantwoordelijkheden van de RO op praktijkniveau, wijkniveau en regioniveau.",
        section: BIJLAGE_1,
        quote: "In het regioplan komen de taken en verantwoordelijkheden op de verschillende niveaus terug.",
    },
    Part {
        id: "accessibility",
        label: "Toegankelijkheid",
        asks: "In- en uitstroom van huisartsen, knelpunten, een actieplan voor acute problemen, een leergang voor aspirant-praktijkhouders.",
        section: BIJLAGE_1,
        quote: "In het regioplan komen deze onderwerpen terug. Zie ook de compensatie Praktijkstart in het inkoopbeleid Huisartsenzorg.",
    },
    Part {
        id: "digitalisation",
        label: "Digitalisering",
        asks: "Digitale triage, het patiëntenportaal voor de ketenzorg en het gebruik ervan, gegevensuitwisseling in de regio; met streefdoelen.",
        section: BIJLAGE_1,
        quote: "In het regioplan komen deze onderwerpen terug en met uw zorginkoper spreekt u streefdoelen af.",
    },
    Part {
        id: "chronic_care",
        label: "Chronische zorg",
        asks: "Het organisatiedeel (O&I betaaltitel ondersteuning ketenzorg) en het zorgdeel per keten, met de tarieven.",
        section: BIJLAGE_1,
        quote: "Deze tarieven worden opgenomen in het regioplan.",
    },
    Part {
        id: "frail_elderly",
        label: "Kwetsbare ouderen",
        asks: "De prestatie Kwetsbare ouderen met de Valrisicobeoordeling, en uw visie op ouderenzorg.",
        section: BIJLAGE_1,
        quote: "In het regioplan komt deze prestatie terug.",
    },
    Part {
        id: "resv",
        label: "RESV-ontwikkeling",
        asks: "De ontwikkeling naar een RESV en Hechte Wijkverbanden.",
        section: BIJLAGE_1,
        quote: "het regioplan krijgt de RESV-ontwikkeling een plek.",
    },
    Part {
        id: "mtvp",
        label: "Meer tijd voor de patiënt (MTVP)",
        asks: "De implementatie van MTVP in de regio en de ondersteuning van de praktijken.",
        section: BIJLAGE_1,
        quote: "In het regioplan komt MTVP terug.",
    },
    Part {
        id: "gp_policy_modules",
        label: "Onderdelen uit het inkoopbeleid Huisartsenzorg",
        asks: "De prestaties die u op regioniveau contracteert (Vergoeding Praktijkmanagement, Prestatie Kwaliteit, Vergoeding POH-GGZ, ...).",
        section: BIJLAGE_1,
        quote: "In het regioplan benoemt u deze prestaties.",
    },
    Part {
        id: "gli",
        label: "Gecombineerde Leefstijlinterventie (GLI)",
        asks: "De GLI (met een aparte GLI-overeenkomst).",
        section: BIJLAGE_1,
        quote: "In het regioplan benoemt u ook de GLI.",
    },
];

const BIJLAGE_2: &str = "Bijlage 2: Chronische zorg";

/// The seven requirements on the information system of the chains (bijlage 2), answered one by
/// one; all seven met is the fact `information_system_meets_requirements` of the module
/// chronic-care.
pub const INFORMATION_SYSTEM: &[Part] = &[
    Part {
        id: "protocolled-care",
        label: "Ondersteunt en registreert de geprotocolleerde begeleiding en behandelingen conform de geldende standaarden",
        asks: "",
        section: BIJLAGE_2,
        quote: "ondersteunt en registreert de geprotocolleerde begeleiding en behandelingen conform de geldende standaarden.",
    },
    Part {
        id: "comorbidity",
        label: "Kan meerdere zorgprogramma’s en comorbiditeit registreren",
        asks: "",
        section: BIJLAGE_2,
        quote: "kan meerdere zorgprogramma’s en comorbiditeit registreren.",
    },
    Part {
        id: "inclusion",
        label: "Registreert geïncludeerden, het hoofdbehandelaarschap en de eventueel betrokken specialist",
        asks: "",
        section: BIJLAGE_2,
        quote: "registreert geïncludeerden, het hoofdbehandelaarschap en de eventueel betrokken specialist.",
    },
    Part {
        id: "chain-access",
        label: "Geeft ketenpartners inzage in de voor hen relevante patiëntinformatie en laat hen zelf gegevens registreren",
        asks: "",
        section: BIJLAGE_2,
        quote: "geeft betrokken zorgaanbieders binnen de keten inzage in de voor hen relevante patiëntinformatie en stelt zorgaanbieders in staat zelf relevante gegevens in het systeem registreren.",
    },
    Part {
        id: "missed-appointments",
        label: "Signaleert wanneer afspraken tussen patiënt en zorgverlener niet zijn nagekomen",
        asks: "",
        section: BIJLAGE_2,
        quote: "signaleert wanneer afspraken tussen patiënt en zorgverlener niet zijn nagekomen.",
    },
    Part {
        id: "patient-access",
        label: "Geeft de patiënt de mogelijkheid het eigen zorgdossier in te zien en actief deel te nemen aan de eigen behandeling",
        asks: "",
        section: BIJLAGE_2,
        quote: "geeft de patiënt de mogelijkheid het eigen zorgdossier in te zien en actief deel te nemen aan de eigen behandeling vanuit de thuissituatie.",
    },
    Part {
        id: "management-information",
        label: "Levert managementinformatie op het niveau van de patiënt, de zorgverleners en de regio-organisatie",
        asks: "",
        section: BIJLAGE_2,
        quote: "levert managementinformatie op het niveau van de patiënt, de zorgverleners en de regio-organisatie.",
    },
];

/// The disciplines of the local network the plan names; the first three are the minimum of
/// condition (4) (the fact `involved_disciplines`, its values as the policy checks them).
pub const DISCIPLINES: &[(&str, &str)] = &[
    ("district_nurses", "Wijkverpleegkundigen"),
    ("physiotherapists", "Fysiotherapeuten"),
    ("pharmacists", "Apothekers"),
    ("dietitians", "Diëtisten"),
    ("podiatrists", "Podotherapeuten"),
    ("mental_health", "GGZ"),
    ("social_domain", "Sociaal domein"),
    ("hospital", "Ziekenhuis"),
    ("other", "Andere discipline"),
];

/// The minimum disciplines of condition (4).
pub const REQUIRED_DISCIPLINES: &[&str] = &["district_nurses", "physiotherapists", "pharmacists"];

/// The network part, cited.
pub const NETWORK: Part = Part {
    id: "network",
    label: "Het lokale netwerk: wie betrokken zijn, hoe en met welke inbreng",
    asks: "Alle disciplines uit uw zorgprogramma’s, minimaal de wijkverpleegkundigen, fysiotherapeuten en apothekers.",
    section: "Voorwaarden overeenkomst",
    quote: "U beschrijft in het regioplan wie betrokken zijn, hoe de betrokkenheid is georganiseerd en wat hun inbreng is.",
};

/// The budget part, cited: costs per part made transparent, within the region's maximum.
pub const BUDGET: Part = Part {
    id: "budget",
    label: "Begroting",
    asks: "De kosten van de afzonderlijke onderdelen (personeel, huisvesting, ICT, ...) per jaar, binnen het maximumbedrag van de regio.",
    section: "Contracteerprocedure",
    quote: "De gevraagde bekostiging maakt u transparant, zodat duidelijk is wat de kosten van de afzonderlijke onderdelen zijn (personeel, huisvesting, ICT, etc.).",
};

/// The information-system part as a whole, cited.
pub const INFORMATION_SYSTEM_PART: Part = Part {
    id: "information-system",
    label: "Het informatiesysteem van de ketenzorg",
    asks: "De zeven eisen van bijlage 2, elk met een toelichting.",
    section: BIJLAGE_2,
    quote: "Het informatiesysteem:",
};

/// The kinds of cost the document names for the budget ("personeel, huisvesting, ICT, etc.").
pub const COST_KINDS: &[(&str, &str)] = &[
    ("personnel", "Personeel"),
    ("housing", "Huisvesting"),
    ("ict", "ICT"),
    ("other", "Overig"),
];

/// Every part the purchaser answers on: the topics, the network, the information system and
/// the budget.
pub fn answerable_parts() -> Vec<Part> {
    let mut parts = TOPICS.to_vec();
    parts.push(NETWORK);
    parts.push(INFORMATION_SYSTEM_PART);
    parts.push(BUDGET);
    parts
}

/// The label of a discipline id.
pub fn discipline_label(id: &str) -> &str {
    DISCIPLINES
        .iter()
        .find(|(d, _)| *d == id)
        .map_or(id, |(_, l)| l)
}
