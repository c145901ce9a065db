"""Grocery vocabulary in English, Sinhala and Tamil for the demo store and synthetic catalogs."""

from __future__ import annotations

from typing import NamedTuple


class Kind(NamedTuple):
    """One kind of product: names in three languages, category and whether it is sold loose by weight."""

    en: str
    si: str
    ta: str
    category: str
    sizes: tuple[str, ...]
    loose: bool = False


CATEGORIES = (
    "Rice & Grains",
    "Flour & Baking",
    "Sugar & Spices",
    "Dairy & Eggs",
    "Beverages",
    "Tea & Coffee",
    "Snacks & Biscuits",
    "Canned & Packaged",
    "Fresh Produce",
    "Meat & Fish",
    "Household",
    "Personal Care",
    "Alcohol & Tobacco",
    "Bakery",
    "Oils & Condiments",
)

# (name, rate in basis points). Demo values: Sri Lanka's standard VAT rate and two others for variety.
TAX_CLASSES = (("Standard VAT", 1800), ("Exempt", 0), ("Reduced", 800))

_PACK = ("100g", "200g", "400g", "1kg")
_LIQUID = ("250ml", "500ml", "1l", "2l")

KINDS: tuple[Kind, ...] = (
    Kind("Samba Rice", "සම්බා සහල්", "சம்பா அரிசி", "Rice & Grains", ("1kg", "5kg", "10kg")),
    Kind("Nadu Rice", "නාඩු සහල්", "நாட்டு அரிசி", "Rice & Grains", ("1kg", "5kg", "10kg")),
    Kind("Red Raw Rice", "රතු කැකුළු සහල්", "சிவப்பு பச்சை அரிசி", "Rice & Grains", ("1kg", "5kg")),
    Kind("Basmati Rice", "බාස්මතී සහල්", "பாசுமதி அரிசி", "Rice & Grains", ("1kg", "5kg")),
    Kind("Red Dhal", "පරිප්පු", "பருப்பு", "Rice & Grains", ("500g", "1kg")),
    Kind("Chickpeas", "කඩල", "கடலை", "Rice & Grains", ("500g", "1kg")),
    Kind("Green Gram", "මුං ඇට", "பச்சைப்பயறு", "Rice & Grains", ("500g", "1kg")),
    Kind("Wheat Flour", "තිරිඟු පිටි", "கோதுமை மா", "Flour & Baking", ("1kg", "2kg")),
    Kind("Rice Flour", "සහල් පිටි", "அரிசி மா", "Flour & Baking", ("500g", "1kg")),
    Kind("Semolina", "රුලං", "ரவை", "Flour & Baking", ("500g", "1kg")),
    Kind("White Sugar", "සුදු සීනි", "வெள்ளை சீனி", "Sugar & Spices", ("500g", "1kg")),
    Kind("Brown Sugar", "දුඹුරු සීනි", "பழுப்பு சீனி", "Sugar & Spices", ("500g", "1kg")),
    Kind("Salt", "ලුණු", "உப்பு", "Sugar & Spices", ("400g", "1kg")),
    Kind("Chilli Powder", "මිරිස් කුඩු", "மிளகாய் தூள்", "Sugar & Spices", _PACK[:3]),
    Kind("Turmeric Powder", "කහ කුඩු", "மஞ்சள் தூள்", "Sugar & Spices", ("50g", "100g")),
    Kind("Curry Powder", "තුනපහ කුඩු", "கறித் தூள்", "Sugar & Spices", _PACK[:3]),
    Kind("Black Pepper", "ගම්මිරිස්", "மிளகு", "Sugar & Spices", ("50g", "100g")),
    Kind("Fresh Milk", "දියර කිරි", "பால்", "Dairy & Eggs", ("500ml", "1l")),
    Kind("Milk Powder", "කිරි පිටි", "பால் மா", "Dairy & Eggs", ("400g", "1kg")),
    Kind("Set Yoghurt", "යෝගට්", "யோகட்", "Dairy & Eggs", ("80g",)),
    Kind("Buffalo Curd", "මී කිරි", "எருமைத் தயிர்", "Dairy & Eggs", ("1l",)),
    Kind("Butter", "බටර්", "வெண்ணெய்", "Dairy & Eggs", ("100g", "200g")),
    Kind("Cheese", "චීස්", "பாலாடைக்கட்டி", "Dairy & Eggs", ("200g",)),
    Kind("Eggs", "බිත්තර", "முட்டை", "Dairy & Eggs", ("10pcs", "30pcs")),
    Kind("Drinking Water", "පානීය ජලය", "குடிநீர்", "Beverages", _LIQUID),
    Kind("Orange Soda", "දොඩම් සෝඩා", "தோடம்பழ சோடா", "Beverages", _LIQUID),
    Kind("Ginger Beer", "ඉඟුරු බියර්", "இஞ்சி பியர்", "Beverages", ("330ml", "1l")),
    Kind("King Coconut Water", "තැඹිලි වතුර", "செவ்விளநீர்", "Beverages", ("330ml",)),
    Kind("Black Tea", "තේ කොළ", "தேயிலை", "Tea & Coffee", ("100g", "200g", "400g")),
    Kind("Tea Bags", "තේ බෑග්", "தேநீர் பைகள்", "Tea & Coffee", ("25pcs", "50pcs", "100pcs")),
    Kind("Coffee Powder", "කෝපි කුඩු", "கோப்பித் தூள்", "Tea & Coffee", ("100g", "200g")),
    Kind("Cream Crackers", "ක්‍රීම් ක්‍රැකර් බිස්කට්", "கிரீம் கிரேக்கர் பிஸ்கட்", "Snacks & Biscuits", ("190g", "490g")),
    Kind("Chocolate Biscuits", "චොකලට් බිස්කට්", "சொக்லேட் பிஸ்கட்", "Snacks & Biscuits", ("100g", "200g")),
    Kind("Potato Chips", "අර්තාපල් චිප්ස්", "உருளைக்கிழங்கு சிப்ஸ்", "Snacks & Biscuits", ("50g", "100g")),
    Kind("Instant Noodles", "නූඩ්ල්ස්", "நூடுல்ஸ்", "Canned & Packaged", ("75g", "5pack")),
    Kind("Canned Mackerel", "ටින් මාළු", "டின் மீன்", "Canned & Packaged", ("155g", "425g")),
    Kind("Mixed Fruit Jam", "මිශ්‍ර පළතුරු ජෑම්", "கலப்புப் பழ ஜாம்", "Canned & Packaged", ("300g", "500g")),
    Kind("Bee Honey", "මී පැණි", "தேன்", "Canned & Packaged", ("250g", "500g")),
    Kind("Kithul Treacle", "කිතුල් පැණි", "கித்துள் பாணி", "Canned & Packaged", ("375ml", "750ml")),
    Kind("Coconut Oil", "පොල් තෙල්", "தேங்காய் எண்ணெய்", "Oils & Condiments", ("500ml", "1l", "2l")),
    Kind("Vegetable Oil", "එළවළු තෙල්", "தாவர எண்ணெய்", "Oils & Condiments", ("1l", "2l")),
    Kind("Tomato Sauce", "තක්කාලි සෝස්", "தக்காளி சோஸ்", "Oils & Condiments", ("400g", "1kg")),
    Kind("Soy Sauce", "සෝයා සෝස්", "சோயா சோஸ்", "Oils & Condiments", ("250ml",)),
    Kind("Vinegar", "විනාකිරි", "வினாகிரி", "Oils & Condiments", ("375ml", "750ml")),
    Kind("Sandwich Bread", "පාන්", "பாண்", "Bakery", ("450g",)),
    Kind("Fish Buns", "මාළු පාන්", "மீன் பணிஸ்", "Bakery", ("2pcs",)),
    Kind("Laundry Detergent", "රෙදි සෝදන කුඩු", "சலவைத் தூள்", "Household", ("500g", "1kg", "2kg")),
    Kind("Dishwash Liquid", "පිඟන් සෝදන දියර", "பாத்திரம் கழுவும் திரவம்", "Household", ("250ml", "500ml")),
    Kind("Safety Matches", "ගිනිපෙට්ටි", "தீப்பெட்டி", "Household", ("10pack",)),
    Kind("Candles", "ඉටිපන්දම්", "மெழுகுவர்த்தி", "Household", ("6pcs",)),
    Kind("Toilet Soap", "සබන්", "சவர்க்காரம்", "Personal Care", ("90g", "4pack")),
    Kind("Toothpaste", "දන්තාලේප", "பற்பசை", "Personal Care", ("70g", "120g")),
    Kind("Shampoo", "ෂැම්පූ", "ஷாம்பு", "Personal Care", ("180ml", "400ml")),
    Kind("Lager Beer", "බියර්", "பியர்", "Alcohol & Tobacco", ("330ml", "625ml")),
    Kind("Coconut Arrack", "පොල් අරක්කු", "தென்னஞ் சாராயம்", "Alcohol & Tobacco", ("375ml", "750ml")),
    Kind("Cigarettes", "සිගරට්", "சிகரெட்", "Alcohol & Tobacco", ("10pcs", "20pcs")),
)

# Produce and loose goods sold by weight (unit kg), with the PLU the scale prints as its item code.
# IFPS PLUs where one exists (4011 bananas, 4664 tomatoes, ...), otherwise store codes from 2001 on.
LOOSE: tuple[tuple[Kind, str], ...] = (
    (Kind("Bananas", "කෙසෙල්", "வாழைப்பழம்", "Fresh Produce", (), True), "4011"),
    (Kind("Tomatoes", "තක්කාලි", "தக்காளி", "Fresh Produce", (), True), "4664"),
    (Kind("Carrots", "කැරට්", "கரட்", "Fresh Produce", (), True), "4562"),
    (Kind("Potatoes", "අර්තාපල්", "உருளைக்கிழங்கு", "Fresh Produce", (), True), "4072"),
    (Kind("Red Onions", "රතු ළූණු", "சின்ன வெங்காயம்", "Fresh Produce", (), True), "4082"),
    (Kind("Big Onions", "ලොකු ළූණු", "பெரிய வெங்காயம்", "Fresh Produce", (), True), "4093"),
    (Kind("Garlic", "සුදු ළූණු", "உள்ளி", "Fresh Produce", (), True), "4608"),
    (Kind("Ginger", "ඉඟුරු", "இஞ்சி", "Fresh Produce", (), True), "4612"),
    (Kind("Limes", "දෙහි", "தேசிக்காய்", "Fresh Produce", (), True), "4048"),
    (Kind("Cabbage", "ගෝවා", "கோவா", "Fresh Produce", (), True), "4069"),
    (Kind("Green Beans", "බෝංචි", "பீன்ஸ்", "Fresh Produce", (), True), "4066"),
    (Kind("Pumpkin", "වට්ටක්කා", "பூசணிக்காய்", "Fresh Produce", (), True), "4734"),
    (Kind("Papaya", "පැපොල්", "பப்பாளி", "Fresh Produce", (), True), "4394"),
    (Kind("Pineapple", "අන්නාසි", "அன்னாசி", "Fresh Produce", (), True), "4430"),
    (Kind("Mangoes", "අඹ", "மாம்பழம்", "Fresh Produce", (), True), "4051"),
    (Kind("Leeks", "ලීක්ස්", "லீக்ஸ்", "Fresh Produce", (), True), "4629"),
    (Kind("Green Chillies", "අමු මිරිස්", "பச்சை மிளகாய்", "Fresh Produce", (), True), "4677"),
    (Kind("Chicken", "කුකුළු මස්", "கோழி இறைச்சி", "Meat & Fish", (), True), "2001"),
    (Kind("Tuna Fish", "කෙළවල්ලා මාළු", "சூரை மீன்", "Meat & Fish", (), True), "2002"),
    (Kind("Dried Sprats", "හාල්මැස්සෝ", "நெத்தலி கருவாடு", "Meat & Fish", (), True), "2003"),
    (Kind("Loose Samba Rice", "සම්බා සහල් (තොග)", "சம்பா அரிசி (தளர்வான)", "Rice & Grains", (), True), "2004"),
    (Kind("Loose Sugar", "සීනි (තොග)", "சீனி (தளர்வான)", "Sugar & Spices", (), True), "2005"),
    (Kind("Loose Red Dhal", "පරිප්පු (තොග)", "பருப்பு (தளர்வான)", "Rice & Grains", (), True), "2006"),
)

# Fictional brands (no real trade marks in demo data).
BRANDS = (
    "Serendib",
    "Ruhuna Farms",
    "Kandy Valley",
    "Jaffna Select",
    "Galle Fort",
    "Nuwara Fresh",
    "Island Best",
    "Sigiri",
    "Lotus Bloom",
    "Peacock",
    "Golden Harvest",
    "Green Leaf",
    "Sunrise",
    "Ocean Catch",
    "Hill Country",
    "Palm Grove",
    "Royal Spice",
    "Village Choice",
    "Coconut Coast",
    "Blue Lagoon",
)

VARIANTS = ("", "Premium", "Classic", "Organic", "Family", "Value", "Extra", "Special", "Select", "Gold")

SUPPLIERS = (
    (
        "Ceylon Wholesale Traders",
        "+94 11 234 5678",
        "orders@ceylonwholesale.example",
        "12 Main Street, Pettah, Colombo 11",
    ),
    ("Kandy Fresh Produce Co.", "+94 81 222 3344", "sales@kandyfresh.example", "45 Peradeniya Road, Kandy"),
    ("Jaffna Spice Mills", "+94 21 222 7788", "info@jaffnaspice.example", "8 Hospital Road, Jaffna"),
    ("Negombo Fish Suppliers", "+94 31 223 4455", "fish@negombo.example", "3 Sea Street, Negombo"),
    ("Island Beverages Ltd", "+94 11 255 6677", "trade@islandbev.example", "101 Baseline Road, Colombo 9"),
    ("Lanka Household Distributors", "+94 11 266 1122", "orders@lhd.example", "22 Kandy Road, Kelaniya"),
)

CUSTOMERS = (
    ("Nimal Perera", "+94 77 123 4567", "retail", 0, "Regular, prefers Sinhala receipts"),
    ("සුනිල් ජයසිංහ", "+94 71 234 5678", "credit", 2500000, "Monthly account, pays on the 5th"),
    ("கமலா சிவகுமார்", "+94 76 345 6789", "retail", 0, "Tamil receipts"),
    ("Lakeside Hotel (Pvt) Ltd", "+94 11 277 8899", "wholesale", 50000000, "Wholesale, delivery on Tuesdays"),
    ("Green Cafe", "+94 77 987 6543", "wholesale", 10000000, ""),
    ("ரமேஷ் முருகன்", "+94 75 456 7890", "credit", 1000000, ""),
    ("Temple Dana Society", "+94 81 234 9876", "other", 0, "Special price tier for alms-giving"),
    ("Fathima Rizna", "+94 72 111 2233", "retail", 0, ""),
)
