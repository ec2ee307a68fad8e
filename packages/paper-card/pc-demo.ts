import { writeFileSync } from "node:fs";
import { renderCardsPdf } from "/work/main/packages/paper-card/src/render";
const names = ["Amina Wanjiru", "محمد علي بن سعيد", "አበበ በቂላ", "สมชาย ใจดี", "Ngũgĩ wa Thiong'o Şahin", "Mohammed Abdullahi Hassan Abdirahman Farah Ali", "Олена Шевченко", "Νίκος Παπαδόπουλος", "فاطمة الزهراء 2027", "Jean-Baptiste Nkurunziza"];
const cards = names.map((name, i) => ({ name, programme: i % 2 ? "Cash for Work" : "Food Security Programme — Drought Response 2027", benefit: i % 3 ? "KES 2,500 cash" : "25 kg maize flour, 5 l cooking oil, 10 kg beans", validUntil: "2027-04-01", cardNumber: `7Q2X-9K${i}M`, qrPayload: "HC1:" + "6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDEMWK4MI6UOS03CR".repeat(8) }));
const t = performance.now();
const pdf = await renderCardsPdf(cards, { issuerName: "Ministry of Social Protection" });
console.log("ms", Math.round(performance.now() - t), "bytes", pdf.length);
writeFileSync("/tmp/pc-demo.pdf", pdf);
