/**
 * Name pools for the synthetic registry. Written for Haki from common given names and surnames of
 * each region; every list is synthetic in use (names are drawn at random and combined), so no row
 * describes a real person. Politicians' and other public figures' full names were left out on
 * purpose. Strings are in Unicode NFC (a test checks it).
 */

export interface NamePool {
  /** "family": a surname shared by the household; "patronymic": a person's surname is their father's given name. */
  readonly convention: "family" | "patronymic";
  /** Whether a wife takes her husband's surname (only for "family"). */
  readonly spouseTakesSurname: boolean;
  readonly male: readonly string[];
  readonly female: readonly string[];
  /** Family names ("family" pools); patronymic pools draw fathers' names from `male`. */
  readonly surnames: readonly string[];
}

/** Kenya and Tanzania: Swahili, Kikuyu, Luo, Luhya, Kalenjin, Chagga and coastal names (Latin script). */
export const EAST_AFRICA: NamePool = {
  convention: "family",
  spouseTakesSurname: true,
  male: [
    "Baraka", "Juma", "Hamisi", "Omari", "Kamau", "Otieno", "Kiprop", "Mwangi", "Wekesa", "Mutua",
    "Ochieng", "Salim", "Rashidi", "Athumani", "Musa", "Daudi", "Yusufu", "Petro", "Emmanuel", "Joseph",
    "Samuel", "Brian", "Kevin", "Dennis", "Hassani", "Bakari", "Ramadhani", "Shabani", "Jabari", "Kipkemboi",
    "Onyango", "Njoroge", "Kibet", "Mohamedi",
  ],
  female: [
    "Amina", "Wanjiru", "Achieng", "Mwanaisha", "Zawadi", "Neema", "Rehema", "Halima", "Fatuma", "Mariamu",
    "Esther", "Grace", "Mercy", "Faith", "Joyce", "Nyokabi", "Wambui", "Akinyi", "Atieno", "Chebet",
    "Nafula", "Mwajuma", "Saida", "Subira", "Imani", "Pendo", "Upendo", "Furaha", "Tatu", "Mwanahawa",
    "Aisha", "Ruth", "Agnes", "Jepchirchir",
  ],
  surnames: [
    "Kamau", "Otieno", "Mwangi", "Odhiambo", "Wanjala", "Kiptoo", "Njoroge", "Mutua", "Ochieng", "Kariuki",
    "Omondi", "Wekesa", "Mohamed", "Hassan", "Ali", "Juma", "Mushi", "Massawe", "Mrema", "Kimaro",
    "Lyimo", "Mollel", "Swai", "Mwakyusa", "Kibet", "Chege", "Maina", "Ndungu", "Shirima", "Mbwambo",
    "Temba", "Komba", "Haule", "Ngowi", "Barasa", "Wafula",
  ],
};

/** Mali and Niger: Bambara, Fula, Songhai, Hausa and Zarma names in French spelling (Latin script). */
export const SAHEL: NamePool = {
  convention: "family",
  // Women in the Sahel usually keep their own family name.
  spouseTakesSurname: false,
  male: [
    "Moussa", "Mamadou", "Amadou", "Boubacar", "Ibrahim", "Issa", "Oumar", "Abdoulaye", "Seydou", "Souleymane",
    "Adama", "Bakary", "Modibo", "Cheick", "Hamidou", "Ousmane", "Salif", "Lassina", "Yacouba", "Harouna",
    "Issoufou", "Moumouni", "Hassane", "Idrissa", "Mahamadou", "Sani", "Abdou", "Djibril", "Sidi", "Tiémoko",
  ],
  female: [
    "Aminata", "Fatoumata", "Mariam", "Awa", "Kadiatou", "Oumou", "Aïssata", "Hawa", "Rokia", "Salimata",
    "Djeneba", "Assétou", "Bintou", "Kadidia", "Ramatou", "Zeinabou", "Hadiza", "Mariama", "Haoua", "Safiatou",
    "Nafissatou", "Balkissa", "Fanta", "Korotoumou", "Maïmouna", "Aïchatou", "Habsatou", "Fati",
  ],
  surnames: [
    "Traoré", "Diallo", "Coulibaly", "Keïta", "Konaté", "Sangaré", "Touré", "Cissé", "Diarra", "Koné",
    "Sidibé", "Maïga", "Dembélé", "Doumbia", "Kanté", "Sissoko", "Samaké", "Haïdara", "Garba", "Oumarou",
    "Mahamane", "Soumana", "Seyni", "Hama", "Abdou", "Moussa", "Boubacar", "Hamani", "Issaka", "Yacouba",
  ],
};

/** Sudan and Chad: Arabic names in Arabic script (right to left). */
export const ARABIC: NamePool = {
  convention: "patronymic",
  spouseTakesSurname: false,
  male: [
    "محمد", "أحمد", "عثمان", "عبدالله", "إبراهيم", "يوسف", "حسن", "حسين", "علي", "عمر",
    "آدم", "موسى", "عيسى", "صالح", "الطيب", "الفاتح", "مصطفى", "خالد", "عبدالرحمن", "إدريس",
    "بشير", "جعفر", "حامد", "الصادق", "مأمون", "عوض", "يعقوب", "إسماعيل", "طه", "محجوب",
    "عبدالقادر", "هارون",
  ],
  female: [
    "فاطمة", "عائشة", "آمنة", "مريم", "زينب", "خديجة", "حواء", "سلمى", "نفيسة", "سعاد",
    "هدى", "رقية", "إخلاص", "منى", "سارة", "ابتسام", "نجلاء", "عفاف", "إقبال", "حليمة",
    "زهرة", "سمية", "أسماء", "نعمات", "رحمة", "تيسير", "آسيا", "بتول", "سهام", "ملاك",
  ],
  surnames: [],
};

/** Ethiopia: Amharic names in Ge'ez script (Ethiopic). */
export const ETHIOPIAN: NamePool = {
  convention: "patronymic",
  spouseTakesSurname: false,
  male: [
    "አበበ", "ከበደ", "ተስፋዬ", "ግርማ", "ዳዊት", "ሰለሞን", "ዮሐንስ", "ሙሉጌታ", "ብርሃኑ", "ታደሰ",
    "ኃይሉ", "ደረጀ", "መስፍን", "ጌታቸው", "አለሙ", "በቀለ", "ታምራት", "ሽፈራው", "አስፋው", "ደምሴ",
    "ይልማ", "ተክሌ", "ፍቅሩ", "ሀብታሙ", "ዘውዱ", "እንዳለ", "ካሳ", "ሞገስ", "ተሾመ", "ወንድሙ",
    "ጥላሁን", "አማኑኤል", "ብሩክ", "ዮናስ", "ቴዎድሮስ",
  ],
  female: [
    "አልማዝ", "ትዕግስት", "መሰረት", "ሰላማዊት", "ብርቱካን", "ፀሐይ", "ሙሉ", "ወርቅነሽ", "አበባ", "ማርታ",
    "ሜሮን", "ቤተልሔም", "ሂሩት", "ዘነበች", "አስቴር", "የሺ", "ሰናይት", "ራሔል", "ሕይወት", "ብዙነሽ",
    "እመቤት", "ፅጌ", "ለምለም", "ሳራ", "ማህሌት", "ፍሬሕይወት", "ገነት", "ቅድስት", "ኤደን",
  ],
  surnames: [],
};

/** Thailand: Thai names in Thai script. */
export const THAI: NamePool = {
  convention: "family",
  spouseTakesSurname: true,
  male: [
    "สมชาย", "สมศักดิ์", "ประเสริฐ", "วิชัย", "สุรชัย", "ธนพล", "อนุชา", "ณัฐพล", "กิตติ", "ชัยวัฒน์",
    "บุญมี", "สมพงษ์", "วีระ", "สุทธิพงษ์", "อำนาจ", "ทองดี", "เอกชัย", "พิชิต", "ศักดิ์ชัย", "สมบัติ",
  ],
  female: [
    "สมศรี", "มาลี", "สุดา", "วันเพ็ญ", "นงลักษณ์", "กาญจนา", "ปราณี", "อรุณี", "สุภาพร", "พรทิพย์",
    "ณัฐธิดา", "ศิริพร", "บุญเรือน", "ทองใบ", "จันทร์เพ็ญ", "รัตนา", "อัมพร", "วิไล", "ลำดวน", "ขวัญใจ",
  ],
  surnames: [
    "ศรีสุข", "แก้วมณี", "บุญมา", "ทองคำ", "สุขสวัสดิ์", "จันทร์หอม", "พรหมมา", "ศรีวงศ์", "มั่นคง", "ใจดี",
    "สายทอง", "ทองสุข", "แสงทอง", "บุญเรือง", "วงศ์ใหญ่", "คำแก้ว", "ภูมิใจ", "สมบูรณ์", "เพชรรัตน์", "ศรีสมบูรณ์",
  ],
};
