// Parse each .eml named on the command line with the npm package mailparser (what Node mail
// tools use) and print one JSON line per file: its text part, its HTML part and its headers.
// NODE_PATH must point at the pinned tools' node_modules (see tests/test_email_checkers.py).
const fs = require("fs");
const { simpleParser } = require("mailparser");

(async () => {
  for (const file of process.argv.slice(2)) {
    const mail = await simpleParser(fs.readFileSync(file));
    console.log(JSON.stringify({
      file,
      text: mail.text || "",
      html: mail.html || "",
      subject: mail.subject || "",
      date: mail.date ? mail.date.toISOString() : null,
      to: mail.to ? mail.to.text : "",
    }));
  }
})().catch((error) => { console.error(String(error)); process.exit(1); });
