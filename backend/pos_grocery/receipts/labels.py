"""Receipt captions in English, Sinhala and Tamil (a small fixed dictionary, not a general i18n layer)."""

from __future__ import annotations

from pos_grocery.receipts.models import Language

# Keys are stable; missing translations fall back to English so a new caption never prints blank.
LABELS: dict[Language, dict[str, str]] = {
    "en": {
        "receipt": "Receipt",
        "date": "Date",
        "business_day": "Business day",
        "terminal": "Terminal",
        "cashier": "Cashier",
        "subtotal": "Subtotal",
        "tax": "Tax",
        "on": "on",
        "rounding": "Rounding",
        "total": "TOTAL",
        "change": "Change",
        "ref": "Ref",
        "cash": "Cash",
        "card": "Card",
        "wallet": "Wallet/QR",
        "account": "Account",
        "store_credit": "Store credit",
        "thanks": "Thank you! Please come again.",
    },
    "si": {
        "receipt": "රිසිට්පත",
        "date": "දිනය",
        "business_day": "ව්‍යාපාරික දිනය",
        "terminal": "ටර්මිනලය",
        "cashier": "අයකැමි",
        "subtotal": "උප එකතුව",
        "tax": "බද්ද",
        "on": "මත",
        "rounding": "වටකිරීම",
        "total": "මුළු එකතුව",
        "change": "ඉතිරි මුදල",
        "ref": "යොමුව",
        "cash": "මුදල්",
        "card": "කාඩ්පත",
        "wallet": "QR ගෙවීම",
        "account": "ණය ගිණුම",
        "thanks": "ස්තූතියි! නැවත එන්න.",
    },
    "ta": {
        "receipt": "ரசீது",
        "date": "தேதி",
        "business_day": "வணிக நாள்",
        "terminal": "முனையம்",
        "cashier": "காசாளர்",
        "subtotal": "கூட்டுத்தொகை",
        "tax": "வரி",
        "on": "மீது",
        "rounding": "முழுமையாக்கல்",
        "total": "மொத்தம்",
        "change": "மீதி",
        "ref": "குறிப்பு",
        "cash": "பணம்",
        "card": "அட்டை",
        "wallet": "QR கட்டணம்",
        "account": "கணக்கு",
        "thanks": "நன்றி! மீண்டும் வருக.",
    },
}

COPY_MARK = "*** COPY ***"


def label(language: Language, key: str) -> str:
    """The caption for key in language, falling back to English, then to the key itself."""
    return LABELS.get(language, {}).get(key) or LABELS["en"].get(key, key)


def tender_label(language: Language, method: str) -> str:
    """The caption for a tender method; unknown methods print as given."""
    if method in LABELS["en"]:
        return label(language, method)
    return method
