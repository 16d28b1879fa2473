# ruff: noqa: RUF001
"""Name and place tables for the held-out cross-script children generator.

Written by hand by the held-out author from general knowledge of Arabic, Dari, Ukrainian and
Russian naming, guided by research/record_linkage_anchors.md section 5.1 (no short vowels in
Arabic script, several Latin conventions per name, ICAO Doc 9303 for Cyrillic, the al-/el-
article, `abd` compounds, ta marbuta). Entries are ordered most common first; a Zipf-like
weight is applied by rank in the generator, with an extra weight where one name dominates
(Mohammed among boys in Arabic-script populations).

Arabic-script entries: (script form, [Latin spellings, most usual first]).
Cyrillic entries: (Ukrainian or Russian form, Russian form of a Ukrainian name or "",
[conventional Latin spellings that a scheme would not produce], nickname in Cyrillic or "").
"""

from __future__ import annotations

ArabicName = tuple[str, list[str]]
CyrName = tuple[str, str, list[str], str]

ARABIC_BOYS: list[ArabicName] = [
    ("محمد", ["Mohammed", "Mohamed", "Muhammad", "Mohammad", "Mohamad", "Muhammed", "Mouhamed"]),
    ("أحمد", ["Ahmed", "Ahmad", "Achmed", "Ehmed"]),
    ("علي", ["Ali", "Aly", "Alee"]),
    ("عمر", ["Omar", "Umar", "Omer", "Oumar"]),
    ("يوسف", ["Youssef", "Yusuf", "Yousef", "Yousif", "Jusuf", "Youcef"]),
    ("إبراهيم", ["Ibrahim", "Ebrahim", "Ibraheem", "Brahim"]),
    ("حسن", ["Hassan", "Hasan", "Hassane"]),
    ("حسين", ["Hussein", "Hussain", "Hossein", "Husein", "Houssein"]),
    ("خالد", ["Khaled", "Khalid", "Haled"]),
    ("عبد الله", ["Abdullah", "Abdallah", "Abdulla", "Abd Allah", "Abdellah"]),
    ("عبد الرحمن", ["Abdulrahman", "Abdelrahman", "Abdul Rahman", "Abderrahmane", "Abdurrahman"]),
    ("مصطفى", ["Mustafa", "Mostafa", "Moustafa", "Mustapha"]),
    ("محمود", ["Mahmoud", "Mahmud", "Mahmood"]),
    ("أسامة", ["Osama", "Usama", "Oussama", "Ousama"]),
    ("إسماعيل", ["Ismail", "Esmail", "Ismael", "Ismaeel"]),
    ("عثمان", ["Othman", "Osman", "Uthman", "Usman"]),
    ("ياسين", ["Yassin", "Yasin", "Yacine", "Jassin"]),
    ("بلال", ["Bilal", "Belal"]),
    ("طارق", ["Tarek", "Tariq", "Tarik"]),
    ("كريم", ["Karim", "Kareem", "Kerim"]),
    ("جمال", ["Jamal", "Gamal", "Djamal"]),
    ("إلياس", ["Elias", "Ilyas", "Ilias", "Iliass"]),
    ("عيسى", ["Issa", "Isa", "Eisa"]),
    ("موسى", ["Musa", "Moussa", "Mousa"]),
    ("أنس", ["Anas", "Enes"]),
    ("زيد", ["Zaid", "Zayd", "Zeid"]),
    ("سامي", ["Sami", "Samy"]),
    ("رامي", ["Rami", "Ramy"]),
    ("آدم", ["Adam", "Adem"]),
    ("حمزة", ["Hamza", "Hamzah", "Hamzeh"]),
    ("عمار", ["Ammar", "Amar"]),
    ("ماجد", ["Majed", "Majid", "Maged"]),
]

ARABIC_GIRLS: list[ArabicName] = [
    ("فاطمة", ["Fatima", "Fatma", "Fatimah", "Fatmeh", "Fatemeh"]),
    ("مريم", ["Maryam", "Mariam", "Meryem", "Miriam"]),
    ("آمنة", ["Amina", "Aminah", "Amna", "Emine"]),
    ("عائشة", ["Aisha", "Aicha", "Aysha", "Ayesha"]),
    ("زينب", ["Zainab", "Zeinab", "Zaynab", "Zineb"]),
    ("نور", ["Nour", "Noor", "Nur"]),
    ("سارة", ["Sara", "Sarah", "Sarra"]),
    ("هدى", ["Huda", "Houda", "Hoda"]),
    ("ليلى", ["Layla", "Leila", "Laila", "Leyla"]),
    ("خديجة", ["Khadija", "Khadidja", "Khadeeja"]),
    ("رقية", ["Ruqayya", "Roukaya", "Rokaya", "Ruqaya"]),
    ("هبة", ["Heba", "Hiba", "Hibah"]),
    ("ياسمين", ["Yasmin", "Yasmine", "Jasmin"]),
    ("أسماء", ["Asmaa", "Asma", "Esma"]),
    ("سلمى", ["Salma", "Selma"]),
    ("إيمان", ["Iman", "Eman", "Imane"]),
    ("شيماء", ["Shaimaa", "Shaima", "Chaimae"]),
    ("رغد", ["Raghad", "Rghad"]),
    ("جنى", ["Jana", "Janna"]),
    ("حلا", ["Hala", "Halla"]),
    ("ملك", ["Malak", "Malek"]),
    ("بتول", ["Batoul", "Batool", "Batul"]),
    ("رنا", ["Rana", "Rena"]),
    ("دعاء", ["Doaa", "Duaa", "Dua"]),
    ("سجى", ["Saja", "Sajaa"]),
]

ARABIC_FAMILIES: list[ArabicName] = [
    ("محمد", ["Mohammed", "Mohamed", "Muhammad", "Mohamad"]),
    ("الأحمد", ["Al-Ahmad", "Alahmad", "Al Ahmed", "El Ahmad"]),
    ("حسين", ["Hussein", "Hussain", "Husein"]),
    ("العلي", ["Al-Ali", "Alali", "El Ali"]),
    ("إبراهيم", ["Ibrahim", "Ebrahim"]),
    ("الحسن", ["Al-Hassan", "Alhassan", "El Hassan"]),
    ("الخطيب", ["Al-Khatib", "Alkhatib", "El Khatib", "Khatib"]),
    ("الشامي", ["Al-Shami", "Alshami", "Ash-Shami", "Chami"]),
    ("المصري", ["Al-Masri", "Elmasry", "Al Masri"]),
    ("حداد", ["Haddad", "Hadad"]),
    ("النجار", ["Al-Najjar", "Alnajjar", "Najjar", "El Naggar"]),
    ("يوسف", ["Youssef", "Yousef", "Yusuf"]),
    ("عبد الله", ["Abdullah", "Abdallah"]),
    ("الحمد", ["Al-Hamad", "Alhamad"]),
    ("سليمان", ["Suleiman", "Sulaiman", "Soliman", "Slimane"]),
    ("عثمان", ["Osman", "Othman", "Uthman"]),
    ("الزعبي", ["Al-Zoubi", "Alzoubi", "Zoabi"]),
    ("خليل", ["Khalil", "Khaleel"]),
    ("صالح", ["Saleh", "Salih"]),
    ("العمر", ["Al-Omar", "Alomar", "Al Umar"]),
    ("الجبوري", ["Al-Jubouri", "Aljubori", "Al-Juburi"]),
    ("الدليمي", ["Al-Dulaimi", "Aldulaimi", "Al-Dulaymi"]),
    ("آدم", ["Adam", "Adem"]),
    ("عيسى", ["Issa", "Eisa"]),
    ("موسى", ["Musa", "Moussa"]),
    ("بكري", ["Bakri", "Bakry"]),
    ("العبدالله", ["Al-Abdullah", "Alabdallah", "El Abdallah"]),
    ("قاسم", ["Kassem", "Qasim", "Kasim"]),
]

# Dari (Perso-Arabic script: ی and ک, not ي and ك) for Afghan children.
DARI_BOYS: list[ArabicName] = [
    ("محمد", ["Mohammad", "Mohammed", "Muhammad", "Mohamad"]),
    ("احمد", ["Ahmad", "Ahmed"]),
    ("علی", ["Ali", "Aly"]),
    ("مصطفی", ["Mustafa", "Mostafa"]),
    ("عبدالله", ["Abdullah", "Abdulla"]),
    ("حسین", ["Hussain", "Hossein", "Husain"]),
    ("جواد", ["Jawad", "Javad"]),
    ("سهراب", ["Sohrab", "Suhrab"]),
    ("فرهاد", ["Farhad", "Farhod"]),
    ("رحیم", ["Rahim", "Raheem"]),
    ("کریم", ["Karim", "Kareem"]),
    ("نوید", ["Navid", "Naweed", "Naveed"]),
    ("یوسف", ["Yousuf", "Yusuf", "Yousef"]),
    ("الیاس", ["Elyas", "Ilyas", "Elias"]),
]

DARI_GIRLS: list[ArabicName] = [
    ("فاطمه", ["Fatima", "Fatema", "Fatemeh"]),
    ("مریم", ["Maryam", "Mariam"]),
    ("زهرا", ["Zahra", "Zahraa"]),
    ("مرسل", ["Mursal", "Morsal"]),
    ("سکینه", ["Sakina", "Sakineh"]),
    ("شبنم", ["Shabnam", "Chabnam"]),
    ("ملالی", ["Malalai", "Malaly"]),
    ("نرگس", ["Narges", "Nargis"]),
    ("لیلا", ["Laila", "Leila", "Lila"]),
    ("آرزو", ["Arezo", "Arzu", "Arezoo"]),
]

DARI_FAMILIES: list[ArabicName] = [
    ("احمدی", ["Ahmadi", "Ahmady"]),
    ("رحیمی", ["Rahimi", "Rahimy"]),
    ("حیدری", ["Haidari", "Heydari", "Haidary"]),
    ("نوری", ["Nouri", "Noori", "Nuri"]),
    ("محمدی", ["Mohammadi", "Mohammady", "Muhammadi"]),
    ("حسینی", ["Hussaini", "Hosseini", "Husseini"]),
    ("کریمی", ["Karimi", "Karimy"]),
    ("صدیقی", ["Siddiqi", "Sediqi", "Seddiqi"]),
    ("یوسفی", ["Yousufi", "Yusufi", "Yousefi"]),
    ("عزیزی", ["Azizi", "Azizy"]),
]

UKRAINIAN_BOYS: list[CyrName] = [
    ("Олександр", "Александр", ["Alexander", "Aleksandr"], "Саша"),
    ("Максим", "Максим", ["Maxim"], ""),
    ("Артем", "Артём", ["Artyom"], ""),
    ("Дмитро", "Дмитрий", ["Dmitri", "Dmitry"], "Діма"),
    ("Андрій", "Андрей", ["Andrei", "Andrew"], ""),
    ("Іван", "Иван", [], "Ваня"),
    ("Михайло", "Михаил", ["Mikhail", "Michael"], "Миша"),
    ("Богдан", "Богдан", ["Bogdan"], ""),
    ("Назар", "Назар", [], ""),
    ("Данило", "Даниил", ["Daniel", "Danila"], ""),
    ("Матвій", "Матвей", ["Matvei"], ""),
    ("Тимофій", "Тимофей", ["Timofei"], ""),
    ("Євген", "Евгений", ["Eugene", "Evgeniy"], "Женя"),
    ("Ілля", "Илья", ["Ilya", "Ilia"], ""),
    ("Кирило", "Кирилл", ["Kirill"], ""),
    ("Юрій", "Юрий", ["Yuri", "Jurij"], ""),
]

UKRAINIAN_GIRLS: list[CyrName] = [
    ("Анастасія", "Анастасия", ["Anastasia"], "Настя"),
    ("Софія", "София", ["Sofia", "Sophia"], "Соня"),
    ("Марія", "Мария", ["Maria"], "Маша"),
    ("Вікторія", "Виктория", ["Victoria"], "Віка"),
    ("Дарина", "Дарина", ["Darina"], ""),
    ("Анна", "Анна", ["Ann"], "Аня"),
    ("Юлія", "Юлия", ["Julia", "Yulia"], ""),
    ("Олена", "Елена", ["Elena", "Helen"], ""),
    ("Катерина", "Екатерина", ["Ekaterina", "Katherine"], "Катя"),
    ("Поліна", "Полина", [], ""),
    ("Вероніка", "Вероника", ["Veronica"], ""),
    ("Олександра", "Александра", ["Alexandra"], "Саша"),
    ("Аліна", "Алина", [], ""),
    ("Злата", "Злата", [], ""),
]

UKRAINIAN_FAMILIES: list[CyrName] = [
    ("Шевченко", "Шевченко", ["Schewtschenko", "Chevtchenko"], ""),
    ("Коваленко", "Коваленко", ["Kowalenko"], ""),
    ("Бондаренко", "Бондаренко", [], ""),
    ("Ткаченко", "Ткаченко", ["Tkatschenko"], ""),
    ("Кравченко", "Кравченко", ["Krawtschenko"], ""),
    ("Олійник", "Олейник", ["Oleinik"], ""),
    ("Мельник", "Мельник", ["Melnik"], ""),
    ("Коваль", "Коваль", ["Kowal"], ""),
    ("Бойко", "Бойко", ["Bojko"], ""),
    ("Лисенко", "Лысенко", ["Lissenko"], ""),
    ("Гончаренко", "Гончаренко", ["Goncharenko"], ""),
    ("Савченко", "Савченко", ["Sawtschenko"], ""),
    ("Руденко", "Руденко", [], ""),
    ("Поліщук", "Полищук", ["Polischuk"], ""),
    ("Ковальчук", "Ковальчук", ["Kowaltschuk"], ""),
    ("Марченко", "Марченко", [], ""),
]

# Chechen children registered in Russian Cyrillic (Muslim names, Russian surname endings).
CHECHEN_BOYS: list[CyrName] = [
    ("Магомед", "", ["Mohammed", "Magomet"], ""),
    ("Ахмед", "", ["Ahmed", "Achmed"], ""),
    ("Рамзан", "", [], ""),
    ("Ислам", "", [], ""),
    ("Умар", "", ["Umar", "Oumar"], ""),
    ("Юсуф", "", ["Yusuf", "Jusuf"], ""),
    ("Хамзат", "", ["Hamzat", "Chamsat"], ""),
    ("Адам", "", [], ""),
    ("Муса", "", ["Musa"], ""),
    ("Ибрагим", "", ["Ibrahim"], ""),
]

CHECHEN_GIRLS: list[CyrName] = [
    ("Хава", "", ["Hava", "Chawa"], ""),
    ("Амина", "", [], ""),
    ("Зарема", "", [], ""),
    ("Марьям", "", ["Maryam", "Mariam"], ""),
    ("Хадижат", "", ["Khadijat", "Hadizhat"], ""),
    ("Седа", "", [], ""),
    ("Петимат", "", [], ""),
    ("Фатима", "", ["Fatima"], ""),
]

CHECHEN_FAMILIES: list[CyrName] = [
    ("Магомедов", "", ["Mahomedov", "Magomedow"], ""),
    ("Ибрагимов", "", ["Ibrahimov"], ""),
    ("Исаев", "", ["Issaev"], ""),
    ("Алиев", "", ["Aliyev", "Alijew"], ""),
    ("Умаров", "", ["Oumarov", "Umarow"], ""),
    ("Хасанов", "", ["Hasanov", "Chasanow"], ""),
    ("Юсупов", "", ["Jussupow"], ""),
    ("Абдуллаев", "", ["Abdullayev"], ""),
    ("Дудаев", "", [], ""),
    ("Шамилев", "", [], ""),
]

# (script form, [Latin spellings], ISO 3166 alpha-2 of the country)
PLACES: dict[str, list[ArabicName]] = {
    "SY": [
        ("حلب", ["Aleppo", "Halab", "Alep"]),
        ("حمص", ["Homs", "Hims"]),
        ("دمشق", ["Damascus", "Dimashq", "Damas"]),
        ("إدلب", ["Idlib", "Idleb"]),
        ("درعا", ["Daraa", "Deraa", "Dar'a"]),
        ("الرقة", ["Raqqa", "Al-Raqqah", "Rakka"]),
    ],
    "IQ": [
        ("الموصل", ["Mosul", "Al-Mawsil", "Mossoul"]),
        ("بغداد", ["Baghdad", "Bagdad"]),
        ("البصرة", ["Basra", "Basrah"]),
        ("كركوك", ["Kirkuk", "Kerkuk"]),
        ("الفلوجة", ["Fallujah", "Falluja"]),
    ],
    "SD": [
        ("الخرطوم", ["Khartoum", "Al-Khartum"]),
        ("نيالا", ["Nyala", "Niyala"]),
        ("الفاشر", ["El Fasher", "Al-Fashir", "El-Facher"]),
        ("الجنينة", ["El Geneina", "Al-Junaynah", "Geneina"]),
    ],
    "AF": [
        ("کابل", ["Kabul", "Kaboul"]),
        ("هرات", ["Herat", "Harat"]),
        ("مزار شریف", ["Mazar-i-Sharif", "Mazar-e Sharif", "Mazar"]),
        ("قندهار", ["Kandahar", "Qandahar"]),
    ],
    "UA": [
        ("Харків", ["Kharkiv", "Kharkov", "Charkiw"]),
        ("Маріуполь", ["Mariupol", "Marioupol"]),
        ("Херсон", ["Kherson", "Cherson"]),
        ("Запоріжжя", ["Zaporizhzhia", "Zaporozhye", "Saporischschja"]),
        ("Донецьк", ["Donetsk", "Donezk"]),
        ("Миколаїв", ["Mykolaiv", "Nikolaev", "Mykolajiw"]),
    ],
    "RU": [
        ("Грозный", ["Grozny", "Groznyy", "Grosny"]),
        ("Гудермес", ["Gudermes"]),
        ("Урус-Мартан", ["Urus-Martan"]),
        ("Шали", ["Shali", "Schali"]),
    ],
}

# Where the Latin-script agency registers children (the left file's `location`).
RECEPTION_SITES = [
    "Athens",
    "Lesvos",
    "Samos",
    "Berlin",
    "Munich",
    "Vienna",
    "Warsaw",
    "Przemysl",
    "Milan",
    "Lampedusa",
    "Calais",
    "Brussels",
    "Malmo",
    "Zagreb",
]

# --- wider surname pools -------------------------------------------------------------------
# Surnames are far more varied than given names: the most common Ukrainian surname covers well
# under 1 % of people. The hand lists above hold the common ones; these add a long tail.

_ARABIC_MORE: list[ArabicName] = [
    ("الحلبي", ["Al-Halabi", "Alhalabi", "El Halabi", "Halabi"]),
    ("الحمصي", ["Al-Homsi", "Alhomsi", "Homsi"]),
    ("البغدادي", ["Al-Baghdadi", "Albaghdadi", "Baghdadi"]),
    ("الموصلي", ["Al-Mosuli", "Almosuli", "Al-Mawsili"]),
    ("البصري", ["Al-Basri", "Albasri", "Basri"]),
    ("الدمشقي", ["Al-Dimashqi", "Aldimashki", "Dimashqi"]),
    ("الصباغ", ["Al-Sabbagh", "Sabbagh", "Assabbagh"]),
    ("الحلاق", ["Al-Hallak", "Hallaq", "Hallak"]),
    ("الخياط", ["Al-Khayyat", "Khayat", "Khayyat"]),
    ("العطار", ["Al-Attar", "Attar", "El Attar"]),
    ("الشمري", ["Al-Shammari", "Alshammari", "Shammari"]),
    ("العبيدي", ["Al-Obeidi", "Alobaidi", "Al-Ubaydi"]),
    ("التميمي", ["Al-Tamimi", "Altamimi", "Tamimi"]),
    ("الساعدي", ["Al-Saadi", "Alsaadi", "Saadi"]),
    ("الربيعي", ["Al-Rubaie", "Alrubaiy", "Rubai"]),
    ("الكبيسي", ["Al-Kubaisi", "Alkubaisi", "Kubaisi"]),
    ("الحريري", ["Al-Hariri", "Hariri"]),
    ("المحمد", ["Al-Mohammad", "Almohammed", "Al Muhammad"]),
    ("الحسين", ["Al-Hussein", "Alhussein", "El Hussein"]),
    ("الإبراهيم", ["Al-Ibrahim", "Alibrahim"]),
    ("العيسى", ["Al-Issa", "Alissa", "El Issa"]),
    ("السيد", ["Al-Sayed", "Elsayed", "Al Sayyid"]),
    ("درويش", ["Darwish", "Darwiche", "Derwish"]),
    ("نصر", ["Nasr", "Nassar", "Naser"]),
    ("عباس", ["Abbas", "Abas"]),
    ("جابر", ["Jaber", "Jabir", "Gaber"]),
    ("حمدان", ["Hamdan", "Hamdane"]),
    ("عوض", ["Awad", "Awadh", "Ewad"]),
    ("بشير", ["Bashir", "Bachir", "Basheer"]),
    ("الطيب", ["Al-Tayeb", "Eltayeb", "Tayeb"]),
    ("عبد الرحيم", ["Abdelrahim", "Abdul Rahim", "Abdurrahim"]),
    ("النور", ["Elnour", "Al-Nour", "Alnoor"]),
    ("أبكر", ["Abaker", "Abakar", "Abbakar"]),
    ("إسحاق", ["Ishag", "Ishaq", "Isaac"]),
    ("هارون", ["Haroun", "Harun", "Haroon"]),
]


def _arabic_given_as_surname(boys: list[ArabicName]) -> list[ArabicName]:
    """Iraqi and Sudanese registers often carry a father's or grandfather's given name as
    the family name."""
    return [(script, list(latin)) for script, latin in boys[4:]]


ARABIC_FAMILIES_WIDE: list[ArabicName] = (
    ARABIC_FAMILIES + _ARABIC_MORE + _arabic_given_as_surname(ARABIC_BOYS)
)

DARI_FAMILIES_WIDE: list[ArabicName] = [
    *DARI_FAMILIES,
    ("نورزی", ["Noorzai", "Nurzai", "Noorzay"]),
    ("سلطانی", ["Sultani", "Soltani"]),
    ("هاشمی", ["Hashimi", "Hashemi"]),
    ("قادری", ["Qaderi", "Ghaderi", "Kaderi"]),
    ("جعفری", ["Jafari", "Jaafari", "Djafari"]),
    ("رضایی", ["Rezaei", "Rezaie", "Rezayee"]),
    ("شریفی", ["Sharifi", "Charifi"]),
    ("حکیمی", ["Hakimi", "Hakeemi"]),
    ("امیری", ["Amiri", "Ameeri"]),
    ("نظری", ["Nazari", "Nazary"]),
    ("اکبری", ["Akbari", "Akbary"]),
    ("رسولی", ["Rasuli", "Rasouli", "Rassouli"]),
    ("وردک", ["Wardak", "Vardak"]),
    ("ستانکزی", ["Stanikzai", "Stanekzai"]),
    ("صافی", ["Safi", "Saafi"]),
    ("غفوری", ["Ghafoori", "Ghafuri", "Gafuri"]),
    ("عثمانی", ["Osmani", "Usmani", "Othmani"]),
    ("فقیری", ["Faqiri", "Fakiri"]),
]

_UA_ROOTS = [
    "Петр",
    "Іван",
    "Сидор",
    "Мороз",
    "Павл",
    "Гриц",
    "Кузьм",
    "Остап",
    "Марч",
    "Романч",
    "Тарас",
    "Левч",
    "Яков",
    "Климч",
    "Федор",
    "Дем",
    "Гнат",
    "Мирон",
    "Семен",
    "Кост",
    "Панас",
    "Степан",
    "Ярем",
    "Назар",
    "Захар",
]
_UA_SUFFIXES = ["енко", "ук", "чук", "ишин", "ів"]


def _russify(text: str) -> str:
    return text.replace("і", "и").replace("ї", "и").replace("є", "е").replace("І", "И")


def _ukrainian_tail() -> list[CyrName]:
    out: list[CyrName] = []
    for i, root in enumerate(_UA_ROOTS):
        for j, suffix in enumerate(_UA_SUFFIXES):
            if (i + j) % 2 == 0:  # about half the combinations, enough for a long tail
                name = root + suffix
                out.append((name, _russify(name), [], ""))
    return out


UKRAINIAN_FAMILIES_WIDE: list[CyrName] = UKRAINIAN_FAMILIES + _ukrainian_tail()

_CHECHEN_ROOTS = [
    "Ахмад",
    "Хасу",
    "Эльмурза",
    "Бисултан",
    "Муса",
    "Сайдула",
    "Дада",
    "Висаит",
    "Джабраил",
    "Гайрбек",
    "Эди",
    "Мовсар",
    "Ахъяд",
    "Зелимхан",
    "Идрис",
    "Ханпаш",
    "Шарип",
    "Сулейман",
    "Лечи",
    "Вахид",
]

CHECHEN_FAMILIES_WIDE: list[CyrName] = CHECHEN_FAMILIES + [
    (root + ("ев" if root[-1] in "аиуэ" else "ов"), "", [], "") for root in _CHECHEN_ROOTS
]

MORE_PLACES: dict[str, list[ArabicName]] = {
    "SY": [
        ("حماة", ["Hama", "Hamah"]),
        ("اللاذقية", ["Latakia", "Lattakia", "Al-Ladhiqiyah"]),
        ("دير الزور", ["Deir ez-Zor", "Deir Ezzor", "Dayr az-Zawr"]),
        ("القامشلي", ["Qamishli", "Kamishli", "Al-Qamishli"]),
    ],
    "IQ": [
        ("النجف", ["Najaf", "An-Najaf"]),
        ("كربلاء", ["Karbala", "Kerbala"]),
        ("أربيل", ["Erbil", "Arbil", "Irbil"]),
        ("الرمادي", ["Ramadi", "Ar-Ramadi"]),
    ],
    "SD": [
        ("كسلا", ["Kassala", "Kasala"]),
        ("الأبيض", ["El Obeid", "Al-Ubayyid"]),
        ("زالنجي", ["Zalingei", "Zalingey"]),
        ("أم درمان", ["Omdurman", "Um Durman"]),
    ],
    "AF": [
        ("جلال آباد", ["Jalalabad", "Jalal Abad"]),
        ("غزنی", ["Ghazni", "Ghazny"]),
        ("بامیان", ["Bamyan", "Bamiyan"]),
        ("قندوز", ["Kunduz", "Qunduz"]),
    ],
    "UA": [
        ("Суми", ["Sumy", "Sumi"]),
        ("Чернігів", ["Chernihiv", "Chernigov", "Tschernihiw"]),
        ("Бахмут", ["Bakhmut", "Bachmut"]),
        ("Ізюм", ["Izium", "Izyum", "Isjum"]),
    ],
    "RU": [
        ("Аргун", ["Argun"]),
        ("Ачхой-Мартан", ["Achkhoy-Martan", "Atschchoi-Martan"]),
        ("Курчалой", ["Kurchaloy", "Kurtschaloi"]),
    ],
}
for _country, _extra in MORE_PLACES.items():
    PLACES[_country] = PLACES[_country] + _extra
