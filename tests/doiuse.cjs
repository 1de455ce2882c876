// The caniemail features npm @jsx-email/doiuse-email finds in each HTML file named on the
// command line: one JSON line per file, {file, features: [slug…]}.  Every feature it checks is
// recorded, supported or not, so the set is what it detects, whatever the clients' support.
// NODE_PATH must point at the pinned tools' node_modules (see tests/test_client_support.py).
const fs = require("fs");
const { DoIUseEmail } = require("@jsx-email/doiuse-email");

const checker = new DoIUseEmail({ emailClients: ["gmail.*"] });
// With no client to look up, getSupportedFeatures() lists every feature with its caniemail
// URL, the only place the package gives a feature's slug.
checker.emailClients = [];
const slugs = Object.fromEntries(checker.getSupportedFeatures().map(
  (f) => [f.name, f.link.replace(/\/$/, "").split("/").pop()]));

for (const file of process.argv.slice(2)) {
  const found = new Set();
  checker.checkFeaturesSupport = (titles) => {
    for (const title of [titles].flat()) found.add(slugs[title] || `?${title}`);
  };
  checker.check(fs.readFileSync(file, "utf8"));
  console.log(JSON.stringify({ file, features: [...found].sort() }));
}
