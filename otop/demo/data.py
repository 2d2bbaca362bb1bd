"""Words the demo center is made of. Demo data only: nothing here is read by the product."""

DEMO_PASSWORD = "otop-demo-2569"

# (code, Thai, English, price range in baht, weight in grams, styles [(Thai, English)])
ITEMS = {
    "food": [
        (
            "ข้าวหอมมะลิ",
            "Hom Mali jasmine rice",
            (60, 180),
            1000,
            [("ปลอดสาร", "chemical-free"), ("ข้าวใหม่", "new crop")],
        ),
        (
            "ไส้กรอกอีสาน",
            "Isan sausage (sai krok)",
            (80, 150),
            500,
            [("สูตรดั้งเดิม", "traditional recipe"), ("หมูล้วน", "all pork")],
        ),
        ("แหนมหมู", "Naem fermented pork", (50, 120), 300, [("ห่อใบตอง", "in banana leaf")]),
        ("น้ำพริกปลาร้า", "Pla ra chili paste", (40, 90), 200, [("รสจัด", "extra hot"), ("รสกลมกล่อม", "mild")]),
        ("กล้วยตาก", "Sun-dried banana", (45, 110), 400, [("อบน้ำผึ้ง", "honey-baked")]),
        ("ชาใบหม่อน", "Mulberry-leaf tea", (90, 250), 100, [("ออร์แกนิก", "organic"), ("แบบซอง", "tea bags")]),
        ("น้ำผึ้งดอกไม้ป่า", "Wild-flower honey", (150, 350), 700, [("ขวดแก้ว", "glass jar")]),
        ("ปลาส้ม", "Pla som fermented fish", (70, 140), 400, [("ปลาตะเพียน", "silver barb")]),
        (
            "ทองม้วน",
            "Thong muan rolled wafers",
            (60, 130),
            250,
            [("งาดำ", "black sesame"), ("มะพร้าวอ่อน", "young coconut")],
        ),
        ("ข้าวเกรียบปลา", "Fish crackers", (35, 80), 200, [("กรอบพิเศษ", "extra crispy")]),
    ],
    "textiles": [
        (
            "ผ้าไหมมัดหมี่",
            "Mudmee silk",
            (1200, 6500),
            400,
            [
                ("ลายนาคน้อย", "little naga pattern"),
                ("ลายหมากจับ", "mak jub pattern"),
                ("ลายขอ", "hook pattern"),
            ],
        ),
        (
            "ผ้าขาวม้า",
            "Pha khao ma cotton cloth",
            (120, 390),
            250,
            [("ลายตาราง", "checked"), ("ย้อมคราม", "indigo-dyed")],
        ),
        ("ผ้าฝ้ายทอมือ", "Hand-woven cotton", (350, 1200), 350, [("ย้อมสีธรรมชาติ", "natural dyes")]),
        (
            "เสื้อผ้าฝ้าย",
            "Cotton shirt",
            (390, 990),
            300,
            [("คอจีน", "mandarin collar"), ("แขนสั้น", "short sleeves")],
        ),
        ("ผ้าพันคอไหม", "Silk scarf", (450, 1500), 120, [("ลายดอกแก้ว", "orange-jasmine pattern")]),
        ("ผ้าซิ่นตีนจก", "Teen jok pha sin skirt", (1500, 8900), 500, [("ทอมือ", "hand-woven")]),
    ],
    "household": [
        (
            "ตะกร้าสานไม้ไผ่",
            "Bamboo woven basket",
            (150, 650),
            600,
            [("ทรงกลม", "round"), ("มีฝาปิด", "with lid")],
        ),
        ("กระติบข้าวเหนียว", "Sticky-rice basket (kratip)", (80, 260), 300, [("ขนาดกลาง", "medium")]),
        ("เสื่อกก", "Reed mat", (250, 900), 1500, [("ลายขิด", "khit pattern")]),
        ("โคมไฟไม้ไผ่", "Bamboo lamp", (450, 1600), 900, [("แขวนเพดาน", "ceiling")]),
        ("หมอนขิด", "Khit triangle pillow", (350, 1800), 1200, [("สามเหลี่ยม", "triangle")]),
        ("แจกันดินเผา", "Clay vase", (200, 950), 1100, [("เคลือบด้าน", "matt glaze")]),
    ],
    "souvenirs": [
        ("พวงกุญแจผ้าไหม", "Silk keyring", (39, 120), 30, [("ลายช้าง", "elephant")]),
        ("ตุ๊กตาไดโนเสาร์ภูเวียง", "Phu Wiang dinosaur doll", (150, 450), 200, [("ผ้าฝ้าย", "cotton")]),
        ("แม่เหล็กติดตู้เย็น", "Fridge magnet", (49, 99), 40, [("ลายพระธาตุ", "stupa")]),
        ("โปสการ์ดภาพวาด", "Painted postcard", (25, 60), 15, [("ชุดห้าใบ", "set of five")]),
        ("กระเป๋าสตางค์ผ้า", "Cloth purse", (120, 350), 80, [("ซิปคู่", "double zip")]),
    ],
    "herbal": [
        ("ยาหม่องสมุนไพร", "Herbal balm", (45, 120), 50, [("ไพล", "plai"), ("ตะไคร้", "lemongrass")]),
        ("สบู่สมุนไพร", "Herbal soap", (45, 150), 100, [("ขมิ้น", "turmeric"), ("มะขาม", "tamarind")]),
        ("ลูกประคบสมุนไพร", "Herbal compress ball", (60, 180), 200, [("สดใหม่", "fresh")]),
        ("น้ำมันเหลือง", "Yellow herbal oil", (40, 100), 30, [("สูตรโบราณ", "old recipe")]),
        ("แชมพูมะกรูด", "Kaffir-lime shampoo", (90, 250), 300, [("ไม่มีซิลิโคน", "silicone-free")]),
    ],
}

GROUP_KINDS = [
    ("กลุ่มทอผ้า", "Weaving group"),
    ("วิสาหกิจชุมชน", "Community enterprise"),
    ("กลุ่มแม่บ้าน", "Housewives' group"),
    ("กลุ่มสมุนไพร", "Herb group"),
    ("กลุ่มจักสาน", "Basketry group"),
]

VILLAGES = [
    ("บ้านโนนสว่าง", "Ban Non Sawang"),
    ("บ้านหนองแวง", "Ban Nong Waeng"),
    ("บ้านดอนแดง", "Ban Don Daeng"),
    ("บ้านโคกใหญ่", "Ban Khok Yai"),
    ("บ้านนาดี", "Ban Na Di"),
    ("บ้านหัวนา", "Ban Hua Na"),
]

OTHER_PROVINCES = ["ร้อยเอ็ด", "มหาสารคาม", "อุดรธานี", "กาฬสินธุ์"]
