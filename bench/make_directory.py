#!/usr/bin/env python3
"""A deterministic synthetic directory for the benchmark: N entries of invented people and offices.

Usage: make_directory.py N --countries FILE --networks FILE --out DIR

Writes DIR/directory.csv (the columns of `liaison directory import`), DIR/directory.db (the same rows in SQLite
with an FTS5 index over name, function and authority, for Datasette), DIR/names.txt (words to search for, in a
fixed order) and DIR/countries.txt (the countries used, in a fixed order). Every name is invented; every address is
at example.org. The same N gives the same files on every machine.
"""
import argparse, csv, os, random, sqlite3

FIRST = ("Alba Amaia Anouk Bea Bram Carla Dario Edda Elif Emre Femi Giulia Hana Ines Ivo Jana Joao Kofi Lea Lina Luka Maja "
         "Malik Mara Mika Nadia Nils Noor Ola Oskar Paula Rafa Rania Sami Sara Selin Sven Tala Teo Una Vera Yara Zane Zoe").split()
LAST = ("Abara Barros Castel Dabrowa Eklund Ferrante Galan Hadley Iversen Jansen Kaldor Lachance Moreau Novak Okafor Pereira "
        "Quist Rahman Sandoval Tamm Ulloa Varga Weller Xanthos Yilmaz Zeller Adler Brand Coelho Drago Esteve Fabre Gaspari "
        "Horvat Ionescu Jovic Kral Lund Mendes Nakamura Orsi Petrov Rossi Santos Toth Urban Vidal Wolff").split()
FUNCTIONS = ["Prosecutor", "Judge", "Senior prosecutor", "Head of unit", "Legal adviser", "Investigating judge", "Police officer",
             "Deputy prosecutor general", "Attache"]
AUTHORITIES = ["Office of the Prosecutor General", "Ministry of Justice", "Supreme Court", "National Police", "Central Authority",
               "Asset Recovery Office", "Financial Intelligence Unit", "Cybercrime Unit"]
LANGUAGES = "en fr es de it pt ru ar nl pl tr sv el ro hu cs".split()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--countries", required=True, help="ISO codes the catalogue knows, one a line")
    parser.add_argument("--networks", required=True, help="network slugs of the catalogue, one a line")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    countries = sorted({line.strip() for line in open(args.countries) if line.strip()})
    networks = sorted({line.strip() for line in open(args.networks) if line.strip()})
    rng = random.Random(2017)
    os.makedirs(args.out, exist_ok=True)
    header = ["kind", "name", "function", "authority", "country", "email", "phone", "languages", "networks", "role",
              "sending_country", "host_country", "covers", "available_24_7", "urgent_phone", "valid_from", "valid_until",
              "source", "consent_basis", "consent_date", "visibility"]
    rows = []
    for i in range(1, args.n + 1):
        roll = rng.random()
        country = rng.choice(countries)
        phone = "+4420%07d" % i
        languages = ";".join(sorted(set(rng.sample(LANGUAGES, rng.randint(1, 3)))))
        urgent = rng.random() < 0.3
        base = {"phone": phone, "languages": languages, "available_24_7": "yes" if urgent else "no",
                "urgent_phone": "+4477%08d" % i if urgent else "", "valid_from": "%d-%02d" % (rng.randint(2012, 2025), rng.randint(1, 12)),
                "valid_until": "", "source": "Synthetic benchmark data (not a real person)", "consent_basis": "public task",
                "consent_date": "", "visibility": "practitioners", "sending_country": "", "host_country": "", "covers": ""}
        if roll < 0.05:
            name = "%s of %s (bench %d)" % (rng.choice(AUTHORITIES), country, i)
            row = dict(base, kind="central-authority", name=name, function="", authority=name, country=country,
                       email="office%d@example.org" % i, networks="", role="central authority")
        else:
            name = "%s %s %s" % (rng.choice(FIRST), rng.choice(LAST), rng.choice(LAST))
            email = "person%d@example.org" % i
            common = dict(base, name=name, function=rng.choice(FUNCTIONS), authority=rng.choice(AUTHORITIES), country=country, email=email)
            if roll < 0.20:
                host = rng.choice([c for c in countries if c != country])
                covers = ";".join(sorted(set(rng.sample(countries, rng.randint(0, 3))) - {country, host}))
                row = dict(common, kind="liaison-magistrate", networks="", role="liaison magistrate", sending_country=country,
                           host_country=host, covers=covers)
            elif roll < 0.30:
                row = dict(common, kind="national-correspondent", networks=rng.choice(networks), role="national correspondent")
            else:
                row = dict(common, kind="contact-point", networks=";".join(sorted(rng.sample(networks, rng.randint(1, 3)))), role="contact point")
        rows.append(row)
    with open(os.path.join(args.out, "directory.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)

    path = os.path.join(args.out, "directory.db")
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, %s)" % ", ".join("%s TEXT" % c for c in header))
    db.executemany("INSERT INTO entries (id, %s) VALUES (?, %s)" % (", ".join(header), ", ".join("?" * len(header))),
                   [[i] + [r[c] for c in header] for i, r in enumerate(rows, 1)])
    db.execute("CREATE INDEX entries_country ON entries (country)")
    db.execute("CREATE INDEX entries_name ON entries (name)")
    db.execute("CREATE VIRTUAL TABLE entries_fts USING fts5(name, function, authority, content='entries', content_rowid='id')")
    db.execute("INSERT INTO entries_fts (rowid, name, function, authority) SELECT id, name, function, authority FROM entries")
    db.commit()
    db.close()

    words = sorted(set(LAST + FIRST))
    random.Random(6).shuffle(words)
    with open(os.path.join(args.out, "names.txt"), "w") as f:
        f.write("\n".join(words) + "\n")
    used = sorted({r["country"] for r in rows})
    random.Random(7).shuffle(used)
    with open(os.path.join(args.out, "countries.txt"), "w") as f:
        f.write("\n".join(used) + "\n")


if __name__ == "__main__":
    main()
