-- Full-text search over product names in English, Sinhala and Tamil (FTS5), kept in sync by triggers.
-- unicode61's default token characters (letters, numbers) would split Sinhala and Tamil words at every
-- vowel sign (category M), so marks are token characters here; ZWJ/ZWNJ (Sinhala conjuncts) are removed
-- on both sides so that a query typed without them still matches. Contentless with delete support: the
-- names live in products, the index only. Archived products leave the index; inactive ones stay.
-- detail=none: ranking is done in SQL over a bounded candidate set (docs/CATALOG.md), so positions are not
-- needed, and the index is 2.5x smaller. Prefix indexes for 1-6 characters let an as-you-type prefix
-- stream its first matches instead of merging every matching term's postings (milliseconds at 1M rows).
CREATE VIRTUAL TABLE product_search USING fts5 (
    name_en, name_si, name_ta,
    content = '', contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'",
    detail = none,
    prefix = '1 2 3 4 5 6'
);

CREATE TRIGGER products_search_insert AFTER INSERT ON products WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO product_search (rowid, name_en, name_si, name_ta) VALUES (
        new.id, new.name_en,
        replace(replace(coalesce(new.name_si, ''), char(8205), ''), char(8204), ''),
        replace(replace(coalesce(new.name_ta, ''), char(8205), ''), char(8204), '')
    );
END;

CREATE TRIGGER products_search_update AFTER UPDATE OF name_en, name_si, name_ta, deleted_at ON products
WHEN old.name_en IS NOT new.name_en OR old.name_si IS NOT new.name_si OR old.name_ta IS NOT new.name_ta
    OR old.deleted_at IS NOT new.deleted_at BEGIN
    DELETE FROM product_search WHERE rowid = old.id;
    INSERT INTO product_search (rowid, name_en, name_si, name_ta)
    SELECT new.id, new.name_en,
        replace(replace(coalesce(new.name_si, ''), char(8205), ''), char(8204), ''),
        replace(replace(coalesce(new.name_ta, ''), char(8205), ''), char(8204), '')
    WHERE new.deleted_at IS NULL;
END;

CREATE TRIGGER products_search_delete AFTER DELETE ON products BEGIN
    DELETE FROM product_search WHERE rowid = old.id;
END;
