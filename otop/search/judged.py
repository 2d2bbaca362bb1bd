"""The judged query set of `make bench` (otop/search/bench.py): 150+ queries against the demo catalogue
(otop/demo/data.py), judged by hand, by kind.

Each entry: (kind, query, what is relevant). What is relevant:
- ("item", T): products whose Thai name starts with the demo item T (all of its styles and producers);
- ("district", D): products of producers in district D; ("producer", P): of producers whose name has P;
- ("trap", T): a substring trap — the query is a part of the item T's name that is no word of it
  (ม้า, horse, in ผ้าขาวม้า); it passes when no product of T is among the first ten.
"""

from __future__ import annotations

JUDGED: list[tuple[str, str, tuple[str, str]]] = [
    # Thai words: the item's own word
    ("thai", "ไส้กรอก", ("item", "ไส้กรอกอีสาน")), ("thai", "มัดหมี่", ("item", "ผ้าไหมมัดหมี่")),
    ("thai", "ผ้าขาวม้า", ("item", "ผ้าขาวม้า")), ("thai", "แหนม", ("item", "แหนมหมู")),
    ("thai", "ปลาร้า", ("item", "น้ำพริกปลาร้า")), ("thai", "กล้วยตาก", ("item", "กล้วยตาก")),
    ("thai", "ปลาส้ม", ("item", "ปลาส้ม")), ("thai", "ทองม้วน", ("item", "ทองม้วน")),
    ("thai", "ตีนจก", ("item", "ผ้าซิ่นตีนจก")), ("thai", "กระติบ", ("item", "กระติบข้าวเหนียว")),
    ("thai", "เสื่อกก", ("item", "เสื่อกก")), ("thai", "แจกัน", ("item", "แจกันดินเผา")),
    ("thai", "พวงกุญแจ", ("item", "พวงกุญแจผ้าไหม")), ("thai", "ไดโนเสาร์", ("item", "ตุ๊กตาไดโนเสาร์ภูเวียง")),
    ("thai", "โปสการ์ด", ("item", "โปสการ์ดภาพวาด")), ("thai", "ยาหม่อง", ("item", "ยาหม่องสมุนไพร")),
    ("thai", "สบู่", ("item", "สบู่สมุนไพร")), ("thai", "ลูกประคบ", ("item", "ลูกประคบสมุนไพร")),
    ("thai", "แชมพู", ("item", "แชมพูมะกรูด")), ("thai", "หอมมะลิ", ("item", "ข้าวหอมมะลิ")),
    ("thai", "ผ้าพันคอ", ("item", "ผ้าพันคอไหม")), ("thai", "โคมไฟ", ("item", "โคมไฟไม้ไผ่")),
    ("thai", "ตุ๊กตา", ("item", "ตุ๊กตาไดโนเสาร์ภูเวียง")), ("thai", "แม่เหล็ก", ("item", "แม่เหล็กติดตู้เย็น")),
    ("thai", "กระเป๋าสตางค์", ("item", "กระเป๋าสตางค์ผ้า")), ("thai", "ผ้าไหม", ("item", "ผ้าไหมมัดหมี่")),
    # Compounds: the whole item name, written as one run
    ("compound", "ข้าวหอมมะลิ", ("item", "ข้าวหอมมะลิ")), ("compound", "ไส้กรอกอีสาน", ("item", "ไส้กรอกอีสาน")),
    ("compound", "แหนมหมู", ("item", "แหนมหมู")), ("compound", "น้ำพริกปลาร้า", ("item", "น้ำพริกปลาร้า")),
    ("compound", "ชาใบหม่อน", ("item", "ชาใบหม่อน")), ("compound", "น้ำผึ้งดอกไม้ป่า", ("item", "น้ำผึ้งดอกไม้ป่า")),
    ("compound", "ข้าวเกรียบปลา", ("item", "ข้าวเกรียบปลา")), ("compound", "ผ้าไหมมัดหมี่", ("item", "ผ้าไหมมัดหมี่")),
    ("compound", "ผ้าฝ้ายทอมือ", ("item", "ผ้าฝ้ายทอมือ")), ("compound", "เสื้อผ้าฝ้าย", ("item", "เสื้อผ้าฝ้าย")),
    ("compound", "ผ้าพันคอไหม", ("item", "ผ้าพันคอไหม")), ("compound", "ผ้าซิ่นตีนจก", ("item", "ผ้าซิ่นตีนจก")),
    ("compound", "ตะกร้าสานไม้ไผ่", ("item", "ตะกร้าสานไม้ไผ่")),
    ("compound", "กระติบข้าวเหนียว", ("item", "กระติบข้าวเหนียว")),
    ("compound", "โคมไฟไม้ไผ่", ("item", "โคมไฟไม้ไผ่")), ("compound", "หมอนขิด", ("item", "หมอนขิด")),
    ("compound", "แจกันดินเผา", ("item", "แจกันดินเผา")), ("compound", "พวงกุญแจผ้าไหม", ("item", "พวงกุญแจผ้าไหม")),
    ("compound", "แม่เหล็กติดตู้เย็น", ("item", "แม่เหล็กติดตู้เย็น")),
    ("compound", "ยาหม่องสมุนไพร", ("item", "ยาหม่องสมุนไพร")), ("compound", "สบู่สมุนไพร", ("item", "สบู่สมุนไพร")),
    ("compound", "แชมพูมะกรูด", ("item", "แชมพูมะกรูด")), ("compound", "น้ำมันเหลือง", ("item", "น้ำมันเหลือง")),
    ("compound", "กระเป๋าสตางค์ผ้า", ("item", "กระเป๋าสตางค์ผ้า")),
    # Phrases: several words, with spaces or as people type them
    ("phrase", "ผ้าไหม มัดหมี่", ("item", "ผ้าไหมมัดหมี่")), ("phrase", "ไส้กรอก อีสาน", ("item", "ไส้กรอกอีสาน")),
    ("phrase", "ข้าว หอมมะลิ", ("item", "ข้าวหอมมะลิ")), ("phrase", "ชา ใบหม่อน", ("item", "ชาใบหม่อน")),
    ("phrase", "สบู่ ขมิ้น", ("item", "สบู่สมุนไพร")), ("phrase", "ยาหม่อง ไพล", ("item", "ยาหม่องสมุนไพร")),
    ("phrase", "มัดหมี่ ลายนาคน้อย", ("item", "ผ้าไหมมัดหมี่")), ("phrase", "ผ้าขาวม้า ลายตาราง", ("item", "ผ้าขาวม้า")),
    ("phrase", "ตะกร้า ไม้ไผ่", ("item", "ตะกร้าสานไม้ไผ่")), ("phrase", "ทองม้วน งาดำ", ("item", "ทองม้วน")),
    ("phrase", "ตุ๊กตา ไดโนเสาร์", ("item", "ตุ๊กตาไดโนเสาร์ภูเวียง")), ("phrase", "แจกัน ดินเผา", ("item", "แจกันดินเผา")),
    ("phrase", "น้ำพริก ปลาร้า", ("item", "น้ำพริกปลาร้า")), ("phrase", "กล้วยตาก อบน้ำผึ้ง", ("item", "กล้วยตาก")),
    ("phrase", "ปลาส้ม ปลาตะเพียน", ("item", "ปลาส้ม")),
    # Districts and producers
    ("district", "ชนบท", ("district", "ชนบท")), ("district", "ชุมแพ", ("district", "ชุมแพ")),
    ("district", "น้ำพอง", ("district", "น้ำพอง")), ("district", "บ้านไผ่", ("district", "บ้านไผ่")),
    ("district", "กระนวน", ("district", "กระนวน")), ("district", "สีชมพู", ("district", "สีชมพู")),
    ("district", "หนองเรือ", ("district", "หนองเรือ")), ("district", "อุบลรัตน์", ("district", "อุบลรัตน์")),
    ("district", "มัญจาคีรี", ("district", "มัญจาคีรี")), ("district", "พล", ("district", "พล")),
    ("producer", "กลุ่มจักสาน", ("producer", "กลุ่มจักสาน")), ("producer", "กลุ่มทอผ้า", ("producer", "กลุ่มทอผ้า")),
    ("producer", "กลุ่มแม่บ้าน", ("producer", "กลุ่มแม่บ้าน")), ("producer", "วิสาหกิจชุมชน", ("producer", "วิสาหกิจชุมชน")),
    ("producer", "บ้านดอนแดง", ("producer", "บ้านดอนแดง")), ("producer", "บ้านนาดี", ("producer", "บ้านนาดี")),
    ("producer", "บ้านหนองแวง", ("producer", "บ้านหนองแวง")), ("producer", "บ้านโนนสว่าง", ("producer", "บ้านโนนสว่าง")),
    # English
    ("english", "sausage", ("item", "ไส้กรอกอีสาน")), ("english", "jasmine rice", ("item", "ข้าวหอมมะลิ")),
    ("english", "mulberry tea", ("item", "ชาใบหม่อน")), ("english", "honey", ("item", "น้ำผึ้งดอกไม้ป่า")),
    ("english", "silk scarf", ("item", "ผ้าพันคอไหม")), ("english", "bamboo basket", ("item", "ตะกร้าสานไม้ไผ่")),
    ("english", "dinosaur", ("item", "ตุ๊กตาไดโนเสาร์ภูเวียง")), ("english", "herbal soap", ("item", "สบู่สมุนไพร")),
    ("english", "shampoo", ("item", "แชมพูมะกรูด")), ("english", "fish crackers", ("item", "ข้าวเกรียบปลา")),
    ("english", "reed mat", ("item", "เสื่อกก")), ("english", "clay vase", ("item", "แจกันดินเผา")),
    ("english", "fridge magnet", ("item", "แม่เหล็กติดตู้เย็น")), ("english", "postcard", ("item", "โปสการ์ดภาพวาด")),
    ("english", "cotton shirt", ("item", "เสื้อผ้าฝ้าย")), ("english", "herbal balm", ("item", "ยาหม่องสมุนไพร")),
    ("english", "keyring", ("item", "พวงกุญแจผ้าไหม")), ("english", "bamboo lamp", ("item", "โคมไฟไม้ไผ่")),
    # Romanized Thai
    ("romanized", "sai krok", ("item", "ไส้กรอกอีสาน")), ("romanized", "mudmee", ("item", "ผ้าไหมมัดหมี่")),
    ("romanized", "pha khao ma", ("item", "ผ้าขาวม้า")), ("romanized", "naem", ("item", "แหนมหมู")),
    ("romanized", "khao hom mali", ("item", "ข้าวหอมมะลิ")), ("romanized", "hom mali", ("item", "ข้าวหอมมะลิ")),
    ("romanized", "thong muan", ("item", "ทองม้วน")), ("romanized", "kratip", ("item", "กระติบข้าวเหนียว")),
    ("romanized", "teen jok", ("item", "ผ้าซิ่นตีนจก")), ("romanized", "pla som", ("item", "ปลาส้ม")),
    ("romanized", "mat mi", ("item", "ผ้าไหมมัดหมี่")),
    # Misspelled Thai: look-alike and sound-alike letters, tone marks, silent letters, vowels
    ("misspelled_th", "มัดหมี้", ("item", "ผ้าไหมมัดหมี่")), ("misspelled_th", "มัดมี่", ("item", "ผ้าไหมมัดหมี่")),
    ("misspelled_th", "ข้าวหอมมะลี", ("item", "ข้าวหอมมะลิ")), ("misspelled_th", "ไส้กลอก", ("item", "ไส้กรอกอีสาน")),
    ("misspelled_th", "ไดโนเสา", ("item", "ตุ๊กตาไดโนเสาร์ภูเวียง")), ("misspelled_th", "แชมภู", ("item", "แชมพูมะกรูด")),
    ("misspelled_th", "ผาขาวมา", ("item", "ผ้าขาวม้า")), ("misspelled_th", "ชาใบหมอน", ("item", "ชาใบหม่อน")),
    ("misspelled_th", "ยาหมอง", ("item", "ยาหม่องสมุนไพร")), ("misspelled_th", "แหนมมู", ("item", "แหนมหมู")),
    ("misspelled_th", "น้ำพิกปลาร้า", ("item", "น้ำพริกปลาร้า")), ("misspelled_th", "กล้วยตาด", ("item", "กล้วยตาก")),
    ("misspelled_th", "ทองม้วร", ("item", "ทองม้วน")), ("misspelled_th", "ผ้าซิ่นตีนจด", ("item", "ผ้าซิ่นตีนจก")),
    ("misspelled_th", "กระติปข้าวเหนียว", ("item", "กระติบข้าวเหนียว")), ("misspelled_th", "เสื่อกด", ("item", "เสื่อกก")),
    ("misspelled_th", "แจกันดินเพา", ("item", "แจกันดินเผา")), ("misspelled_th", "พวงกุนแจ", ("item", "พวงกุญแจผ้าไหม")),
    ("misspelled_th", "โปสกาด", ("item", "โปสการ์ดภาพวาด")), ("misspelled_th", "ลูกประคบสมุนไพล", ("item", "ลูกประคบสมุนไพร")),
    ("misspelled_th", "สบู่สมุนไพล", ("item", "สบู่สมุนไพร")), ("misspelled_th", "หมอนขิต", ("item", "หมอนขิด")),
    ("misspelled_th", "ผ้าพันคอใหม", ("item", "ผ้าพันคอไหม")), ("misspelled_th", "น้ำผึ่ง", ("item", "น้ำผึ้งดอกไม้ป่า")),
    ("misspelled_th", "ข้าวเกียบปลา", ("item", "ข้าวเกรียบปลา")),
    # Misspelled English and romanized
    ("misspelled_en", "sausge", ("item", "ไส้กรอกอีสาน")), ("misspelled_en", "jasmin", ("item", "ข้าวหอมมะลิ")),
    ("misspelled_en", "kao hom mali", ("item", "ข้าวหอมมะลิ")), ("misspelled_en", "mudmi", ("item", "ผ้าไหมมัดหมี่")),
    ("misspelled_en", "mulbery tea", ("item", "ชาใบหม่อน")), ("misspelled_en", "shampo", ("item", "แชมพูมะกรูด")),
    ("misspelled_en", "dinosour", ("item", "ตุ๊กตาไดโนเสาร์ภูเวียง")), ("misspelled_en", "postcrad", ("item", "โปสการ์ดภาพวาด")),
    ("misspelled_en", "bambo basket", ("item", "ตะกร้าสานไม้ไผ่")), ("misspelled_en", "herbel soap", ("item", "สบู่สมุนไพร")),
    ("misspelled_en", "keyrng", ("item", "พวงกุญแจผ้าไหม")), ("misspelled_en", "sai grok", ("item", "ไส้กรอกอีสาน")),
    ("misspelled_en", "hony", ("item", "น้ำผึ้งดอกไม้ป่า")), ("misspelled_en", "fridge magnit", ("item", "แม่เหล็กติดตู้เย็น")),
    # Substring traps: a part of a name that is no word of it
    ("trap", "ม้า", ("trap", "ผ้าขาวม้า")), ("trap", "ขาว", ("trap", "ผ้าขาวม้า")), ("trap", "หมี", ("trap", "ผ้าไหมมัดหมี่")),
    ("trap", "ไม้", ("trap", "น้ำผึ้งดอกไม้ป่า")), ("trap", "ตา", ("trap", "ตุ๊กตาไดโนเสาร์ภูเวียง")),
    ("trap", "กรอก", ("trap", "ไส้กรอกอีสาน")), ("trap", "ตู้", ("trap", "แม่เหล็กติดตู้เย็น")), ("trap", "กุญ", ("trap", "พวงกุญแจผ้าไหม")),
    ("trap", "หม่อ", ("trap", "ชาใบหม่อน")), ("trap", "ขาวม้า", ("trap", "ผ้าขาวม้า")),
]  # fmt: skip
