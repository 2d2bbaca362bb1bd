"""Words the segmenter must know that a general Thai dictionary lacks or splits wrongly.

Single words only, never compounds that people search by their parts (ไส้กรอก|อีสาน, ข้าว|หอมมะลิ).

Product and craft vocabulary of OTOP goods; place names are added from the geo tables at run time.
"""

PRODUCT_WORDS = [
    "มัดหมี่", "ผ้าขาวม้า", "ไส้กรอก", "แหนม", "ปลาร้า", "ปลาส้ม", "น้ำพริก", "กล้วยตาก",
    "ใบหม่อน", "ทองม้วน", "ข้าวเกรียบ", "หอมมะลิ", "ข้าวเหนียว", "ผ้าไหม",
    "ผ้าฝ้าย", "ทอมือ", "ผ้าพันคอ", "ผ้าซิ่น", "ตีนจก", "ซิ่น", "ขิด", "กระติบ", "เสื่อกก", "จักสาน",
    "ไม้ไผ่", "ดินเผา", "ยาหม่อง", "ลูกประคบ", "มะกรูด", "ไพล", "ตะไคร้", "ขมิ้น", "ไดโนเสาร์", "ภูเวียง",
    "พวงกุญแจ", "โปสการ์ด", "กระเช้า", "คราม", "นาคน้อย", "หมากจับ",
    "พระธาตุ", "ออร์แกนิก", "ปลอดสาร", "ตุ๊กตา", "แจกัน", "โคมไฟ", "กระเป๋าสตางค์", "แชมพู",
    "สบู่", "น้ำผึ้ง", "งาดำ", "วิสาหกิจชุมชน",
]  # fmt: skip

# Royal Institute (RTGS) spellings that PyThaiNLP's rule-based `royin` engine gets wrong.
ROMANIZATION_FIXES = {
    "เชียงใหม่": "chiang mai",
    "ขอนแก่น": "khon kaen",
    "ไส้กรอก": "sai krok",
    "มัดหมี่": "mat mi",
    "ตุ๊กตา": "tukkata",
    "สว่าง": "sawang",
    "อีสาน": "isan",
    "ไดโนเสาร์": "dinosao",
    "ร้อยเอ็ด": "roi et",
    "ใหญ่": "yai",
    "ข้าวหอมมะลิ": "khao hom mali",
    "หอมมะลิ": "hom mali",
}
