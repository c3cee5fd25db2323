//! What document 003 says about the labs' and thrombosis services' contracts that the policy file
//! does not hold as a parameter, condition or table: how a ceiling is made (volume and price per
//! product), what happens to production above it under each contract, and where a request to
//! expand or move production goes. Each passage is quoted (the test
//! `every_quote_is_in_the_document` finds each one in the text); the figures themselves
//! (contract years, the 2.5 % growth caps, the sliding discount's tiers) come from
//! `policies/diagnostics-2020.toml` with their own quotes.

use zorginkoop_policy::Source;

/// The policy of the labs' and thrombosis services' process.
pub const POLICY: &str = "diagnostics-2020";

/// The document all quotes below are from.
pub const DOCUMENT: &str = "003_1002b85ce44c7f66.txt";

/// A passage of document 003.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Passage {
    pub section: &'static str,
    pub quote: &'static str,
}

impl Passage {
    /// The passage, as the policy files cite one.
    pub fn source(&self) -> Source {
        Source {
            document: DOCUMENT.to_string(),
            section: self.section.to_string(),
            quote: self.quote.to_string(),
        }
    }
}

const LABS_5_1: &str = "5.1 Eerstelijns diagnostische centra";
const THROMBOSIS_5_2: &str = "5.2 Trombosediensten";

/// A laboratory's ceiling: the sum of volume times price per product.
pub const LAB_CEILING: Passage = Passage {
    section: LABS_5_1,
    quote: "Op basis van volume- en prijsafspraken per product spreken wij een omzetplafond met u af.",
};

/// What a laboratory's volumes are based on.
pub const LAB_VOLUME: Passage = Passage {
    section: LABS_5_1,
    quote: "Deze volumeafspraak baseren we op de realisatie 2018 en de prognose van 2019/2020.",
};

/// The ceiling holds for all locations together.
pub const ALL_LOCATIONS: Passage = Passage {
    section: LABS_5_1,
    quote: "Het omzetplafond is gekoppeld aan de zorgaanbieder, ongeacht het aantal locaties.",
};

/// Regular contract: production above the ceiling is not paid.
pub const REGULAR_EXCESS: Passage = Passage {
    section: LABS_5_1,
    quote: "Zilveren Kruis betaalt overschrijdingen van het plafond niet uit bij zorgaanbieders met een reguliere overeenkomst.",
};

/// Preferred contract: a ceiling with post-calculation.
pub const PREFERRED_CEILING: Passage = Passage {
    section: LABS_5_1,
    quote: "Dan spreken wij een plafondafspraak met nacalculatie voor 2020 en 2021 met u af.",
};

/// Preferred contract: the excess is paid when the growth conditions hold.
pub const PREFERRED_EXCESS: Passage = Passage {
    section: LABS_5_1,
    quote: "De marginale meerkosten van de overproductie betalen wij uit als aan bovengenoemde voorwaarden is voldaan",
};

/// The lab chooses one of the two contracts with its purchaser.
pub const CHOICE: Passage = Passage {
    section: "6. Hoe ziet het contracteringsproces eruit?",
    quote: "In overleg met uw inkoper kunt u afspraken maken voor een van beide overeenkomsten.",
};

/// A thrombosis service's volume agreement.
pub const THROMBOSIS_VOLUME: Passage = Passage {
    section: THROMBOSIS_5_2,
    quote: "Met zorgaanbieders maken wij een volumeafspraak voor 2020 gebaseerd op de realisatie 2018 en de prognose 2019/2020.",
};

/// A thrombosis service's ceiling: volume and price per product.
pub const THROMBOSIS_CEILING: Passage = Passage {
    section: THROMBOSIS_5_2,
    quote: "Op basis van volume- en prijsafspraken per product wordt een omzetplafond afgesproken.",
};

/// A thrombosis service's excess is not paid.
pub const THROMBOSIS_EXCESS: Passage = Passage {
    section: THROMBOSIS_5_2,
    quote: "Overschrijdingen van het plafond betalen wij niet uit.",
};

/// A request to expand or move production goes to the purchaser, without a term.
pub const PRODUCTION_CHANGE: Passage = Passage {
    section: LABS_5_1,
    quote: "Als u productie wilt uitbreiden of verplaatsen, dan kunt u een verzoek indienen bij uw inkoper.",
};

/// ... and is assessed as a new provider's application.
pub const PRODUCTION_CHANGE_ASSESSED: Passage = Passage {
    section: LABS_5_1,
    quote: "Wij beoordelen uw aanvraag op dezelfde manier als een aanvraag van een nieuwe zorgaanbieder.",
};

/// Every passage above (for the quote test).
pub const ALL: &[Passage] = &[
    LAB_CEILING,
    LAB_VOLUME,
    ALL_LOCATIONS,
    REGULAR_EXCESS,
    PREFERRED_CEILING,
    PREFERRED_EXCESS,
    CHOICE,
    THROMBOSIS_VOLUME,
    THROMBOSIS_CEILING,
    THROMBOSIS_EXCESS,
    PRODUCTION_CHANGE,
    PRODUCTION_CHANGE_ASSESSED,
];

#[cfg(test)]
mod tests {
    use super::*;
    use zorginkoop_policy::normalize_whitespace;

    #[test]
    fn every_quote_is_in_the_document() {
        let texts = crate::policies::embedded_texts();
        let text = normalize_whitespace(texts.get(DOCUMENT).expect("document 003 is embedded"));
        for p in ALL {
            assert!(
                text.contains(&normalize_whitespace(p.quote)),
                "not in {DOCUMENT}: {}",
                p.quote
            );
            let section = normalize_whitespace(p.section);
            assert!(text.contains(&section), "no section {section}");
        }
    }
}
