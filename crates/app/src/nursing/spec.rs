//! What document 004 asks of a district-nursing application beyond the policy file's
//! questionnaires and module conditions, as data: the procedures (existing providers, new
//! providers, Wijkgericht Werken, the regional availability function) with their windows, the
//! questions asked as numbers with the parameter they are measured against, the special care
//! forms of bijlage 2, and the passages for the budget proposal. Every part cites the sentence
//! it comes from (the test `every_quote_of_the_process_is_in_the_document` finds each one).

/// The policy of the process.
pub const POLICY: &str = "district-nursing-2021";

/// The document all quotes below are from.
pub const DOCUMENT: &str = "004_ff397b22ce59c05b.txt";

/// A passage of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Passage {
    pub section: &'static str,
    pub quote: &'static str,
}

impl Passage {
    pub fn source(&self) -> zorginkoop_policy::Source {
        zorginkoop_policy::Source {
            document: DOCUMENT.to_string(),
            section: self.section.to_string(),
            quote: self.quote.to_string(),
        }
    }
}

/// The processing term: "Het verwerken van een aanvraag kost maximaal 5 werkdagen." The number
/// is the policy's parameter `application.processing-working-days`.
pub const PROCESSING_TERM: Passage = Passage {
    section: "5. Hoe ziet het contracteringsproces eruit?",
    quote: "verwerken van een aanvraag kost maximaal 5 werkdagen",
};

/// The escape of the exclusion criteria.
pub const ESCAPE: Passage = Passage {
    section: "Bijlage 1. Inkoopvoorwaarden wijkverpleging 2021",
    quote: "U krijgt geen overeenkomst als 1 of meerdere van de uitsluitingscriteria op u van toepassing zijn, tenzij Zilveren Kruis dat disproportioneel acht",
};

/// The basisbudget from the reference period.
pub const BASISBUDGET: Passage = Passage {
    section: "4. Hoe bepalen wij onze tarieven en hoeveel zorg wij inkopen?",
    quote: "Per zorgaanbieder stellen wij een basisbudget vast",
};

/// The reference period of the basisbudget.
pub const REFERENCE_PERIOD: Passage = Passage {
    section: "Ontwikkelingen die van invloed zijn op de overeenkomst 2021",
    quote: "We hanteren nu de periode 1 maart 2019 tot en met 29 februari 2020.",
};

/// The application procedures of the process.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Procedure {
    /// Existing providers (a 2020 contract): bijlage 1, bijlage 2, the budget proposal.
    Existing,
    /// New providers: bijlage 3.
    New,
    /// Wijkgericht Werken (bijlage 4).
    Neighbourhood,
    /// The regional availability function (bijlage 5).
    Availability,
}

impl Procedure {
    pub const ALL: [Procedure; 4] = [
        Procedure::Existing,
        Procedure::New,
        Procedure::Neighbourhood,
        Procedure::Availability,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Procedure::Existing => "existing",
            Procedure::New => "new",
            Procedure::Neighbourhood => "neighbourhood",
            Procedure::Availability => "availability",
        }
    }

    pub fn parse(s: &str) -> Option<Procedure> {
        Procedure::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The Dutch name shown.
    pub fn label(self) -> &'static str {
        match self {
            Procedure::Existing => "Overeenkomst Wijkverpleging 2021 (bestaande zorgaanbieders)",
            Procedure::New => "Overeenkomst Wijkverpleging 2021 (nieuwe zorgaanbieders)",
            Procedure::Neighbourhood => "Wijkgericht Werken",
            Procedure::Availability => "Regionale beschikbaarheidsfunctie",
        }
    }

    /// The timeline milestone whose window the procedure is open in.
    pub fn window(self) -> &'static str {
        match self {
            Procedure::New => "new-provider-registration",
            _ => "portal-open",
        }
    }

    /// The questionnaire of the policy asked in this procedure, if any.
    pub fn questionnaire(self) -> Option<&'static str> {
        match self {
            Procedure::Existing => Some("purchase-conditions"),
            Procedure::New => Some("new-provider-questions"),
            _ => None,
        }
    }

    /// The module whose conditions are asked one by one, with the ids asked elsewhere left out.
    pub fn module(self) -> &'static str {
        match self {
            Procedure::Existing => "wijkverpleging",
            Procedure::New => "wijkverpleging-new-provider",
            Procedure::Neighbourhood => "neighbourhood-work",
            Procedure::Availability => "regional-availability-function",
        }
    }

    /// The module's conditions asked as yes/no questions in this procedure (the others are the
    /// questionnaire's, or figures: revenue, ratio).
    pub fn asked_conditions(self) -> &'static [&'static str] {
        match self {
            Procedure::Existing => &["contract-2020"],
            Procedure::New => &["no-contract-2020"],
            Procedure::Neighbourhood => &[
                "nursing-contract-in-municipality",
                "core-region-municipality",
                "agreement-2020-or-nominated",
                "visible-local-network",
                "evaluation-and-accountability",
            ],
            Procedure::Availability => &[
                "rbf-contract-2020",
                "rbf-agreement-2020",
                "rbf-24-7",
                "rbf-leading-role",
                "rbf-cooperation",
                "rbf-reasonable-rates",
                "rbf-communication",
            ],
        }
    }
}

/// A question answered with a number: measured against a parameter of the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Numeric {
    /// The questionnaire's question.
    pub question: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    /// The parameter the answer is compared with.
    pub parameter: &'static str,
    /// True: the answer must be at least the parameter; false: at most.
    pub at_least: bool,
}

/// The questions of bijlage 1 asked as numbers.
pub const NUMERIC: &[Numeric] = &[
    Numeric {
        question: "q14",
        label: "Verzekerd bedrag bedrijfs- en beroepsaansprakelijkheid per gebeurtenis",
        unit: "euro",
        parameter: "liability.min-insured-per-event",
        at_least: true,
    },
    Numeric {
        question: "q20",
        label: "Aanrijtijd bij onplanbare zorg (minuten, hoogstens)",
        unit: "minuten",
        parameter: "availability.max-arrival-minutes",
        at_least: false,
    },
];

/// The section of the special care forms (bijlage 2): the modules whose source is in it.
pub const SPECIAL_FORMS_SECTION: &str = "Bijlage 2. Inkoopvoorwaarden bijzondere zorgvormen 2021";

/// The condition every special form repeats (the nursing contract itself): not asked again.
pub const SPECIAL_FORMS_SKIP: &[&str] = &["nursing-contract"];

/// All passages of this file, for the quote test.
pub fn passages() -> Vec<Passage> {
    vec![PROCESSING_TERM, ESCAPE, BASISBUDGET, REFERENCE_PERIOD]
}
