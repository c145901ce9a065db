-- Stored pricing rules that feed the pricing engine (docs/PRICING.md): quantity breaks, discounts,
-- multibuy, buy X get Y, mix & match. body is the rule as the API shows it (quantities as decimals);
-- engine is the same rule in the engine's units (pricing.models, JSON with its id), validated by the engine
-- when written, so the checkout decodes it without conversion.
CREATE TABLE pricing_rules (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('quantity_break', 'discount', 'multibuy', 'buy_x_get_y', 'mix_match')),
    label TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 100),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    valid_from TEXT,
    valid_to TEXT,
    body TEXT NOT NULL,
    engine TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;

CREATE INDEX pricing_rules_live ON pricing_rules (active, valid_to) WHERE deleted_at IS NULL;
