//! Passages of the policy documents that the settlement cites and that are not already an item
//! of the policy file (whose own `source` is used where there is one).

use serde::Serialize;
use zorginkoop_policy::Source;

/// A passage: document, section heading, verbatim quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cite {
    pub document: String,
    pub section: String,
    pub quote: String,
}

impl From<&Source> for Cite {
    fn from(s: &Source) -> Self {
        Cite {
            document: s.document.clone(),
            section: s.section.clone(),
            quote: s.quote.clone(),
        }
    }
}

/// A passage of a policy document written in the code (a rule of the text that is no
/// parameter).
#[derive(Debug, Clone, Copy)]
pub struct Passage {
    pub document: &'static str,
    pub section: &'static str,
    pub quote: &'static str,
}

/// The district nursing 2021 document.
pub const DOC_004: &str = "004_ff397b22ce59c05b.txt";
const H3: &str = "3. Wie kunnen een overeenkomst krijgen?";
const H4: &str = "4. Hoe bepalen wij onze tarieven en hoeveel zorg wij inkopen?";
const B6: &str = "Bijlage 6. Doelmatigheidsverbetering";
const B3: &str = "Bijlage 3. Inkoopvoorwaarden nieuwe zorgaanbieders 2021";

impl Passage {
    pub fn cite(self) -> Cite {
        Cite {
            document: self.document.to_string(),
            section: self.section.to_string(),
            quote: self.quote.to_string(),
        }
    }
}

/// The reference revenue: approved AW319 claims of the reference period.
pub const REFERENCE_CLAIMS: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "Via AW319 goedgekeurde declaraties van 1 maart 2019 tot en met 29 februari 2020 van wijkverpleging aan klanten van Zilveren Kruis (en aanverwante labels)",
};
/// The reference revenue leaves out the Zorg in de Wijk municipalities.
pub const REFERENCE_EXCLUDES_ZORG_IN_DE_WIJK: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "exclusief de gemeenten die onder Zorg in de Wijk vallen, op peildatum 1 augustus 2019",
};
/// The basisbudget.
pub const BASISBUDGET: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "Dit basisbudget is het volume van 1 maart 2019 tot en met 29 februari 2020, vermenigvuldigd met het voor de zorgaanbieder geldende tarief in 2021.",
};
/// The efficiency group comes from the efficiency model.
pub const EFFICIENCY_GROUP: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "Met het doelmatigheidsmodel stellen wij per zorgaanbieder vast in welke van de 5 doelmatigheidsgroepen een zorgaanbieder valt.",
};
/// The cut lapses when the agreement is met (chapter 4).
pub const CUT_LAPSES: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "Zorgaanbieders die een afslag krijgen kunnen een doelmatigheidsafspraak maken. Bij het behalen van deze afspraak komt de afslag te vervallen.",
};
/// Settlement after the year.
pub const BALANCE: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "Na afloop van het jaar maken wij per zorgaanbieder de balans op en rekenen wij het budget en de aanvullende doelmatigheidsafspraken af.",
};
/// A provider with a revenue ceiling monitors how far it is filled.
pub const CEILING: Passage = Passage {
    document: DOC_004,
    section: "3. Wie kunnen een overeenkomst krijgen?",
    quote: "Heeft u wel een omzetplafond dan is het uw verantwoordelijkheid de volloop gedurende het jaar te monitoren.",
};
/// A control can change the ceiling, free volume too.
pub const CEILING_AFTER_CONTROL: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "Wanneer er onrechtmatigheid blijkt uit een controle door Zilveren Kruis, dan kan dit gevolgen hebben voor uw omzetplafond, ook als u volgens bovenstaande tabel een vrij volume heeft.",
};
/// Production above the basisbudget.
pub const ABOVE_BUDGET: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "Levert een zorgaanbieder meer zorg dan is vastgesteld in het basisbudget, dan vergoeden wij deze zorg afhankelijk van de groep waarin de zorgaanbieder is ingedeeld.",
};
/// New providers: capped, treated as small for overproduction.
pub const NEW_PROVIDER: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "Bij mogelijke overproductie wordt u beschouwd als kleine zorgaanbieder",
};
/// New providers are offered a budget.
pub const NEW_BUDGET_OFFERED: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "bieden wij nieuwe zorgaanbieders in 2021 een budget en tarief aan",
};
/// Bijlage 6 a: the prestaties and labels.
pub const B6_BASIS: Passage = Passage {
    document: DOC_004,
    section: B6,
    quote: "De basis zijn de goedgekeurde declaraties van prestatie 1032 t/m 1038 en 1062",
};
/// Bijlage 6: the two periods compared.
pub const B6_PERIODS: Passage = Passage {
    document: DOC_004,
    section: B6,
    quote: "Wij vergelijken deze van 1 maart 2019 tot en met 29 februari 2020 ten opzichte van 1 januari 2021 tot en met 31 december 2021.",
};
/// Bijlage 6 b: hours per client divided by whole months with care.
pub const B6_MONTHS: Passage = Passage {
    document: DOC_004,
    section: B6,
    quote: "Per cliënt moeten de totale uren in een jaar gedeeld worden door het aantal maanden waarin de betreffende cliënt zorg heeft ontvangen. Het aantal maanden is dus minimaal 1 en maximaal 12 en altijd een heel getal.",
};
/// Bijlage 6 d: the mean over the included clients.
pub const B6_MEAN: Passage = Passage {
    document: DOC_004,
    section: B6,
    quote: "Het gemiddelde aantal uren per cliënt per maand van de zorgaanbieder is het gemiddelde van alle geïncludeerde cliënten.",
};
/// Bijlage 6 e: the change between the periods.
pub const B6_CHANGE: Passage = Passage {
    document: DOC_004,
    section: B6,
    quote: "Het procentuele verschil tussen beide periodes is de verandering in doelmatigheid.",
};
/// Bijlage 6: the surcharge repaid pro rata.
pub const B6_REPAY: Passage = Passage {
    document: DOC_004,
    section: B6,
    quote: "Wanneer wij vaststellen dat de doelmatigheidsverbetering niet is behaald, dan betaalt de zorgaanbieder de tariefsopslag naar rato terug aan Zilveren Kruis.",
};
/// The integral tariff per 5 minutes (hours from amounts).
pub const PER_5_MINUTES: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "Wij bieden in 2021 alle zorgaanbieders een overeenkomst aan met een integraal tarief (per 5 minuten)",
};

/// The efficiency model corrects for the client characteristics.
pub const MODEL_CHARACTERISTICS: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "Dit doen we door rekening te houden met de cliëntkenmerken leeftijd, geslacht, zorgduur afgeleid van de doelgroepenregistratie, het overlijden van een cliënt na de zorgperiode en een regiokenmerk.",
};
/// Medical child care (1038) is outside the efficiency model.
pub const MODEL_EXCLUDES_CHILD_CARE: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "Voor medische kindzorgaanbieders gelden afwijkende afspraken Deze zorg is uitgesloten van het doelmatigheidsmodel.",
};
/// The target groups that give the care duration: 1033 shorter, 1034 and 1035 longer than 3
/// months.
pub const MODEL_DURATION_GROUPS: Passage = Passage {
    document: DOC_004,
    section: H3,
    quote: "1033: Zorg aan kwetsbare ouderen en chronisch zieken, korter dan 3 maanden • 1034: Zorg aan kwetsbare ouderen en chronisch zieken, langer dan 3 maanden (somatisch) • 1035: Zorg aan kwetsbare ouderen en chronisch zieken, langer dan 3 maanden (psychogeriatrisch / psychiatrisch)",
};
/// Small (and new) providers are outside the efficiency model.
pub const MODEL_EXCLUDES_SMALL: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "Kleine zorgaanbieders zijn daarom uitgesloten van het doelmatigheidsmodel van Zilveren Kruis.",
};
/// New providers are outside the efficiency model.
pub const NEW_EXCLUDED: Passage = Passage {
    document: DOC_004,
    section: H4,
    quote: "Nieuwe zorgaanbieders zijn uitgesloten van het doelmatigheidsmodel en de aanvullende doelmatigheidsafspraak.",
};
/// Bijlage 3: the client-per-postcode ratio.
pub const RATIO_DEFINITION: Passage = Passage {
    document: DOC_004,
    section: B3,
    quote: "We berekenen de mate van versnippering met een klant-werkgebied-ratio.",
};
/// Bijlage 3: its numerator.
pub const RATIO_CLIENTS: Passage = Passage {
    document: DOC_004,
    section: B3,
    quote: "het aantal klanten van Zilveren Kruis binnen ons kernwerkgebied waar u zorg aan heeft geleverd",
};
/// Bijlage 3: its denominator.
pub const RATIO_POSTCODES: Passage = Passage {
    document: DOC_004,
    section: B3,
    quote: "het aantal 4-cijferige postcodegebieden binnen ons kernwerkgebied waarin u zorg heeft geleverd",
};

/// Every passage of document 004 written in the code (checked against the document text by a
/// test).
pub const ALL: &[Passage] = &[
    REFERENCE_CLAIMS,
    REFERENCE_EXCLUDES_ZORG_IN_DE_WIJK,
    BASISBUDGET,
    EFFICIENCY_GROUP,
    CUT_LAPSES,
    BALANCE,
    CEILING,
    CEILING_AFTER_CONTROL,
    ABOVE_BUDGET,
    NEW_PROVIDER,
    NEW_BUDGET_OFFERED,
    B6_BASIS,
    B6_PERIODS,
    B6_MONTHS,
    B6_MEAN,
    B6_CHANGE,
    B6_REPAY,
    PER_5_MINUTES,
    MODEL_CHARACTERISTICS,
    MODEL_EXCLUDES_CHILD_CARE,
    MODEL_DURATION_GROUPS,
    MODEL_EXCLUDES_SMALL,
    NEW_EXCLUDED,
    RATIO_DEFINITION,
    RATIO_CLIENTS,
    RATIO_POSTCODES,
];

/// The prestaties of the efficiency measure (bijlage 6 a): codes named in the text, not
/// figures; [`crate::rules`] checks that the policy's prestatie table has each of them.
pub const EFFICIENCY_PRESTATIES: &[&str] = &[
    "1032", "1033", "1034", "1035", "1036", "1037", "1038", "1062",
];

/// The prestaties of bijlage 6 that the efficiency model leaves out: medical child care
/// ([`MODEL_EXCLUDES_CHILD_CARE`]). A client's care in the model is the rest of
/// [`EFFICIENCY_PRESTATIES`].
pub const MODEL_EXCLUDED_PRESTATIES: &[&str] = &["1038"];

/// The target groups of care longer than 3 months ([`MODEL_DURATION_GROUPS`]): the model's
/// care duration is "longer than 3 months" for a client with a line of one of them.
pub const LONG_CARE_PRESTATIES: &[&str] = &["1034", "1035"];

/// The diagnostics and thrombosis 2020 document.
pub const DOC_003: &str = "003_1002b85ce44c7f66.txt";
const D31: &str = "3.1 Eerstelijns diagnostische centra";
const D32: &str = "3.2 Trombosediensten";
const D51: &str = "5.1 Eerstelijns diagnostische centra";
const D52: &str = "5.2 Trombosediensten";

/// Two kinds of lab contract.
pub const LAB_CONTRACTS: Passage = Passage {
    document: DOC_003,
    section: D31,
    quote: "Voor eerstelijnsdiagnostiek bieden wij 2 soorten overeenkomsten aan",
};
/// One thrombosis contract, with a revenue ceiling.
pub const THROMBOSIS_CONTRACT: Passage = Passage {
    document: DOC_003,
    section: D32,
    quote: "Dit is een eenjarige overeenkomst, waarin we afspraken maken over prijzen, volumes en een omzetplafond.",
};
/// The lab revenue ceiling from volume and price agreements.
pub const LAB_CEILING: Passage = Passage {
    document: DOC_003,
    section: D51,
    quote: "Op basis van volume- en prijsafspraken per product spreken wij een omzetplafond met u af.",
};
/// The ceiling covers all locations.
pub const ALL_LOCATIONS: Passage = Passage {
    document: DOC_003,
    section: D51,
    quote: "Het omzetplafond is gekoppeld aan de zorgaanbieder, ongeacht het aantal locaties.",
};
/// Regular lab contract: the excess is not paid.
pub const LAB_REGULAR_EXCESS: Passage = Passage {
    document: DOC_003,
    section: D51,
    quote: "Zilveren Kruis betaalt overschrijdingen van het plafond niet uit bij zorgaanbieders met een reguliere overeenkomst.",
};
/// Preferred lab contract: ceiling with post-calculation.
pub const LAB_PREFERRED_POST_CALCULATION: Passage = Passage {
    document: DOC_003,
    section: D51,
    quote: "Dan spreken wij een plafondafspraak met nacalculatie voor 2020 en 2021 met u af.",
};
/// Preferred lab contract: the marginal cost of overproduction paid under the conditions.
pub const LAB_MARGINAL_COST: Passage = Passage {
    document: DOC_003,
    section: D51,
    quote: "De marginale meerkosten van de overproductie betalen wij uit als aan bovengenoemde voorwaarden is voldaan (zie bij 2.1).",
};
/// Preferred lab contract: overproduction paid under conditions.
pub const LAB_PREFERRED_CONDITIONS: Passage = Passage {
    document: DOC_003,
    section: D31,
    quote: "Bij een voorkeursovereenkomst betalen we overproductie onder voorwaarden uit",
};
/// The volume agreement rests on the 2018 realisation.
pub const REALISATION_2018: Passage = Passage {
    document: DOC_003,
    section: D51,
    quote: "Deze volumeafspraak baseren we op de realisatie 2018 en de prognose van 2019/2020.",
};
/// Thrombosis: the ceiling from volume and price agreements.
pub const THROMBOSIS_CEILING: Passage = Passage {
    document: DOC_003,
    section: D52,
    quote: "Op basis van volume- en prijsafspraken per product wordt een omzetplafond afgesproken.",
};
/// Thrombosis: the excess is not paid.
pub const THROMBOSIS_EXCESS: Passage = Passage {
    document: DOC_003,
    section: D52,
    quote: "Overschrijdingen van het plafond betalen wij niet uit.",
};

/// A regular lab contract runs one year.
pub const LAB_REGULAR_ONE_YEAR: Passage = Passage {
    document: DOC_003,
    section: D31,
    quote: "Reguliere overeenkomst: dit is een eenjarige overeenkomst",
};
/// A preferred lab contract runs two years.
pub const LAB_PREFERRED_TWO_YEARS: Passage = Passage {
    document: DOC_003,
    section: D31,
    quote: "Voorkeursovereenkomst: dit is een tweejarige overeenkomst",
};

/// Every passage of document 003 written in the code (checked against the document text by a
/// test).
pub const LABS: &[Passage] = &[
    LAB_REGULAR_ONE_YEAR,
    LAB_PREFERRED_TWO_YEARS,
    LAB_CONTRACTS,
    THROMBOSIS_CONTRACT,
    LAB_CEILING,
    ALL_LOCATIONS,
    LAB_REGULAR_EXCESS,
    LAB_PREFERRED_POST_CALCULATION,
    LAB_MARGINAL_COST,
    LAB_PREFERRED_CONDITIONS,
    REALISATION_2018,
    THROMBOSIS_CEILING,
    THROMBOSIS_EXCESS,
];
