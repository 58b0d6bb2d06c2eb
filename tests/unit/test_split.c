/* test_split.c — the executable spec of the sentence splitter and
 * tokenizer (src/text/split.c).
 *
 * The table `cases` is the spec: each row is an input text, the sentences
 * expected (as the exact text between their offsets), optionally their
 * kinds and block numbers, and optionally every token with its flags.
 * Every split, of the table and of the other tests, is also checked against
 * the invariants of text.h (order, trimming, token ownership, blocks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/text.h"

#define MAXS 16

typedef struct scase {
    const char *name;
    const char *text;
    const char *sents[MAXS];  /* expected sentences in order, NULL-terminated */
    const char *kinds;        /* one letter per sentence (B, H, I), or NULL */
    const char *blocks;       /* one digit per sentence, or NULL */
    const char *toks;         /* all tokens, separated by one space, or NULL */
    const char *flags;        /* per token: W|N|P then C, U, G; or NULL */
} scase;

static const scase cases[] = {
    /* ---- tokens: words, clitics, apostrophes ---- */
    {"words and final period", "Russian forces attacked Kharkiv.",
     {"Russian forces attacked Kharkiv."}, "B", "0",
     "Russian forces attacked Kharkiv .", "WC W W WC PG"},
    {"clitic 's", "Russia's army and NATO's plans",
     {"Russia's army and NATO's plans"}, NULL, NULL,
     "Russia 's army and NATO 's plans", "WC WG W W WCU WG W"},
    {"plural possessive", "the Russians' losses grew.",
     {"the Russians' losses grew."}, NULL, NULL,
     "the Russians ' losses grew .", "W WC PG W W PG"},
    {"n't after do", "They don't know.", {"They don't know."}, NULL, NULL,
     "They do n't know .", "WC W WG W PG"},
    {"n't after ca and wo", "We can't and won't.", {"We can't and won't."}, NULL, NULL,
     "We ca n't and wo n't .", "WC W WG W W WG PG"},
    {"other clitics", "They're sure we've won and I'll stay, I'd say I'm done.",
     {"They're sure we've won and I'll stay, I'd say I'm done."}, NULL, NULL,
     "They 're sure we 've won and I 'll stay , I 'd say I 'm done .", NULL},
    {"internal apostrophe in names", "O'Brien met D'Souza in Kam'yanske.",
     {"O'Brien met D'Souza in Kam'yanske."}, NULL, NULL,
     "O'Brien met D'Souza in Kam'yanske .", "WC W WC W WC PG"},
    {"soft sign apostrophe kept", "A plant in Elektrostal' was hit.",
     {"A plant in Elektrostal' was hit."}, NULL, NULL,
     "A plant in Elektrostal' was hit .", NULL},
    {"single quotes are punctuation", "the 'Big Mistake' remark",
     {"the 'Big Mistake' remark"}, NULL, NULL,
     "the ' Big Mistake ' remark", "W P WCG WC PG W"},
    {"quoted word ending in s", "the 'experts' said", {"the 'experts' said"}, NULL, NULL,
     "the ' experts ' said", "W P WG PG W"},
    {"typographic apostrophe", "Russia\xE2\x80\x99s war", {"Russia\xE2\x80\x99s war"}, NULL, NULL,
     "Russia \xE2\x80\x99s war", "WC WG W"},
    {"clitic after abbreviation", "The U.S.'s position is firm.",
     {"The U.S.'s position is firm."}, NULL, NULL,
     "The U.S. 's position is firm .", "WC WCU WG W W W PG"},

    /* ---- tokens: numbers ---- */
    {"numbers with separators", "In 2025 some 4,000 of 13,000 tanks, 3.5 percent, 1,234.5 km",
     {"In 2025 some 4,000 of 13,000 tanks, 3.5 percent, 1,234.5 km"}, NULL, NULL,
     "In 2025 some 4,000 of 13,000 tanks , 3.5 percent , 1,234.5 km",
     "WC N W N W N W PG N W PG N W"},
    {"ordinals and decades", "the 1st, 2nd, 3rd, 21st and 4th brigades of the 1990s",
     {"the 1st, 2nd, 3rd, 21st and 4th brigades of the 1990s"}, NULL, NULL,
     "the 1st , 2nd , 3rd , 21st and 4th brigades of the 1990s", NULL},
    {"number and hyphenated word", "a 30-day ceasefire", {"a 30-day ceasefire"}, NULL, NULL,
     "a 30 - day ceasefire", "W N PG WG W"},
    {"number before final period", "It happened in 2024. Then it ended.",
     {"It happened in 2024.", "Then it ended."}, NULL, NULL,
     "It happened in 2024 . Then it ended .", NULL},
    {"comma not followed by three digits", "In 2024,5 people died",
     {"In 2024,5 people died"}, NULL, NULL, "In 2024 , 5 people died", NULL},
    {"time and units", "At 08:03 a 155mm shell", {"At 08:03 a 155mm shell"}, NULL, NULL,
     "At 08 : 03 a 155 mm shell", "WC N PG NG W N WG W"},
    {"decimal inside a sentence", "Prices rose 3.5 percent. Then they fell.",
     {"Prices rose 3.5 percent.", "Then they fell."}, NULL, NULL, NULL, NULL},

    /* ---- tokens: punctuation, hyphens, glue ---- */
    {"hyphen is its own glued token", "the US-Ukrainian proposal",
     {"the US-Ukrainian proposal"}, NULL, NULL,
     "the US - Ukrainian proposal", "W WCU PG WCG W"},
    {"em dash one token", "ceasefire \xE2\x80\x94 including talks",
     {"ceasefire \xE2\x80\x94 including talks"}, NULL, NULL,
     "ceasefire \xE2\x80\x94 including talks", "W P W W"},
    {"ellipsis and double hyphen", "wait... and -- then go",
     {"wait... and -- then go"}, NULL, NULL,
     "wait ... and -- then go", "W PG W P W W"},
    {"brackets glue", "(Kyiv) said [no]", {"(Kyiv) said [no]"}, NULL, NULL,
     "( Kyiv ) said [ no ]", "P WCG PG W P WG PG"},
    {"CAP and UPPER flags", "NATO and ISW met A US team in Kyiv",
     {"NATO and ISW met A US team in Kyiv"}, NULL, NULL,
     "NATO and ISW met A US team in Kyiv", "WCU W WCU W WC WCU W W WC"},
    {"dotted abbreviation without final dot", "U.S-backed forces",
     {"U.S-backed forces"}, NULL, NULL, "U.S - backed forces", "WCU PG WG W"},
    {"tabs and odd spaces", "one\ttwo\xC2\xA0three", {"one\ttwo\xC2\xA0three"}, NULL, NULL,
     "one two three", "W W W"},
    {"minus sign is not a bullet", "-5 degrees at night.", {"-5 degrees at night."}, "B", NULL,
     "- 5 degrees at night .", "P NG W W W PG"},

    /* ---- non-ASCII scripts ---- */
    {"Cyrillic words and flags", "\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD \xD0\xB8 \xD0\x92\xD0\xA1\xD0\xA3.",
     {"\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD \xD0\xB8 \xD0\x92\xD0\xA1\xD0\xA3."}, NULL, NULL,
     "\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD \xD0\xB8 \xD0\x92\xD0\xA1\xD0\xA3 .",
     "WC W WCU PG"},
    {"Cyrillic sentences", "\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD \xD1\x81\xD0\xBA\xD0\xB0\xD0\xB7\xD0\xB0\xD0\xBB. \xD0\x9A\xD0\xB8\xD0\xB5\xD0\xB2 \xD0\xBE\xD1\x82\xD0\xB2\xD0\xB5\xD1\x82\xD0\xB8\xD0\xBB.",
     {"\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD \xD1\x81\xD0\xBA\xD0\xB0\xD0\xB7\xD0\xB0\xD0\xBB.",
      "\xD0\x9A\xD0\xB8\xD0\xB5\xD0\xB2 \xD0\xBE\xD1\x82\xD0\xB2\xD0\xB5\xD1\x82\xD0\xB8\xD0\xBB."},
     "BB", "00", NULL, NULL},
    {"Cyrillic initial", "\xD0\x92. \xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD \xD1\x81\xD0\xBA\xD0\xB0\xD0\xB7\xD0\xB0\xD0\xBB.",
     {"\xD0\x92. \xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD \xD1\x81\xD0\xBA\xD0\xB0\xD0\xB7\xD0\xB0\xD0\xBB."}, NULL, NULL,
     "\xD0\x92. \xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD \xD1\x81\xD0\xBA\xD0\xB0\xD0\xB7\xD0\xB0\xD0\xBB .",
     "WC WC W PG"},
    {"Arabic question mark ends a sentence",
     "\xD9\x82\xD8\xA7\xD9\x84 \xD8\xA7\xD9\x84\xD9\x85\xD8\xAA\xD8\xAD\xD8\xAF\xD8\xAB\xD8\x9F \xD9\x86\xD8\xB9\xD9\x85.",
     {"\xD9\x82\xD8\xA7\xD9\x84 \xD8\xA7\xD9\x84\xD9\x85\xD8\xAA\xD8\xAD\xD8\xAF\xD8\xAB\xD8\x9F",
      "\xD9\x86\xD8\xB9\xD9\x85."}, NULL, NULL,
     "\xD9\x82\xD8\xA7\xD9\x84 \xD8\xA7\xD9\x84\xD9\x85\xD8\xAA\xD8\xAD\xD8\xAF\xD8\xAB \xD8\x9F \xD9\x86\xD8\xB9\xD9\x85 .",
     "W W PG W PG"},
    {"accented capitals", "\xC5\xA0koda and \xC3\x89lys\xC3\xA9" "e", {"\xC5\xA0koda and \xC3\x89lys\xC3\xA9" "e"}, NULL, NULL,
     "\xC5\xA0koda and \xC3\x89lys\xC3\xA9" "e", "WC W WC"},
    {"CJK full stop", "\xE4\xBF\x84\xE5\x86\x9B\xE8\xBF\x9B\xE6\x94\xBB\xE3\x80\x82\xE4\xB9\x8C\xE5\x86\x9B\xE5\x8F\x8D\xE5\x87\xBB\xE3\x80\x82",
     {"\xE4\xBF\x84\xE5\x86\x9B\xE8\xBF\x9B\xE6\x94\xBB\xE3\x80\x82", "\xE4\xB9\x8C\xE5\x86\x9B\xE5\x8F\x8D\xE5\x87\xBB\xE3\x80\x82"},
     NULL, NULL, NULL, NULL},
    {"Arabic-Indic digits are a number", "\xD9\xA2\xD9\xA0\xD9\xA2\xD9\xA5 troops", {"\xD9\xA2\xD9\xA0\xD9\xA2\xD9\xA5 troops"}, NULL, NULL,
     "\xD9\xA2\xD9\xA0\xD9\xA2\xD9\xA5 troops", "N W"},

    /* ---- sentence ends: punctuation, quotes, footnotes ---- */
    {"two plain sentences", "Russia attacked. Ukraine responded.",
     {"Russia attacked.", "Ukraine responded."}, "BB", "00", NULL, NULL},
    {"footnote stays with its sentence", "talks with the European Union.[1] The envoys also denied it.[2][3]",
     {"talks with the European Union.[1]", "The envoys also denied it.[2][3]"}, NULL, NULL,
     "talks with the European Union . [ 1 ] The envoys also denied it . [ 2 ] [ 3 ]", NULL},
    {"closing quote stays with its sentence", "He said \"no.\" Then he left.",
     {"He said \"no.\"", "Then he left."}, NULL, NULL, NULL, NULL},
    {"closing bracket stays with its sentence", "(It was late.) Then it ended.",
     {"(It was late.)", "Then it ended."}, NULL, NULL, NULL, NULL},
    {"question in quotes then lowercase", "\"Who will give orders?\" he asked.",
     {"\"Who will give orders?\" he asked."}, NULL, NULL, NULL, NULL},
    {"question in quotes then comma", "\"Why?\", he asked. It was late.",
     {"\"Why?\", he asked.", "It was late."}, NULL, NULL, NULL, NULL},
    {"question in quotes then capital", "\"Who?\" He left.", {"\"Who?\"", "He left."}, NULL, NULL, NULL, NULL},
    {"exclamation", "Stop! Now we go.", {"Stop!", "Now we go."}, NULL, NULL, NULL, NULL},
    {"stacked marks", "Really?! Yes.", {"Really?!", "Yes."}, NULL, NULL,
     "Really ? ! Yes .", "WC PG PG WC PG"},
    {"ellipsis then lowercase", "He paused... and then left.",
     {"He paused... and then left."}, NULL, NULL, NULL, NULL},
    {"ellipsis then capital", "He paused... Then he left.",
     {"He paused...", "Then he left."}, NULL, NULL, NULL, NULL},
    {"unicode ellipsis", "He paused\xE2\x80\xA6 Then he left.",
     {"He paused\xE2\x80\xA6", "Then he left."}, NULL, NULL, NULL, NULL},
    {"ellipsis opens a sentence", "...receded by a ceasefire. It held.",
     {"...receded by a ceasefire.", "It held."}, NULL, NULL, NULL, NULL},
    {"period then lowercase does not end", "about 5 km. south of the city.",
     {"about 5 km. south of the city."}, NULL, NULL, NULL, NULL},
    {"sentence ending without punctuation", "One thing. Another thing",
     {"One thing.", "Another thing"}, "BB", "00", NULL, NULL},
    {"missing space after period", "Kyiv was hit.The raid ended.",
     {"Kyiv was hit.", "The raid ended."}, NULL, NULL, NULL, NULL},

    /* ---- abbreviations and initials ---- */
    {"military titles", "Lt. Col. Ivanov, Sgt. Petrov, Maj. Gen. Lee and Capt. Ruiz met Adm. Koh.",
     {"Lt. Col. Ivanov, Sgt. Petrov, Maj. Gen. Lee and Capt. Ruiz met Adm. Koh."}, NULL, NULL,
     "Lt. Col. Ivanov , Sgt. Petrov , Maj. Gen. Lee and Capt. Ruiz met Adm. Koh .", NULL},
    {"civil titles", "Mr. Smith, Mrs. Jones, Dr. Lee, Prof. Kim, Rev. Cho, Sen. Graham, Rep. Wilson and Gov. Abbott spoke.",
     {"Mr. Smith, Mrs. Jones, Dr. Lee, Prof. Kim, Rev. Cho, Sen. Graham, Rep. Wilson and Gov. Abbott spoke."},
     NULL, NULL, NULL, NULL},
    {"ranks", "Cpl. Ivanov and Pvt. Petrov were hurt.",
     {"Cpl. Ivanov and Pvt. Petrov were hurt."}, NULL, NULL,
     "Cpl. Ivanov and Pvt. Petrov were hurt .", "WC WC W WC WC W W PG"},
    {"months", "Talks on Jan. 5, Feb. 6, Aug. 7, Sept. 8, Oct. 9, Nov. 10 and Dec. 11 failed.",
     {"Talks on Jan. 5, Feb. 6, Aug. 7, Sept. 8, Oct. 9, Nov. 10 and Dec. 11 failed."}, NULL, NULL,
     NULL, NULL},
    {"No. St. vs.", "Brigade No. 5 left St. Petersburg vs. Kyiv.",
     {"Brigade No. 5 left St. Petersburg vs. Kyiv."}, NULL, NULL,
     "Brigade No. 5 left St. Petersburg vs. Kyiv .", NULL},
    {"e.g. i.e. etc.", "Armor, e.g. Tanks, i.e. Heavy ones, etc. were lost.",
     {"Armor, e.g. Tanks, i.e. Heavy ones, etc. were lost."}, NULL, NULL,
     "Armor , e.g. Tanks , i.e. Heavy ones , etc. were lost .", NULL},
    {"suffixes and companies", "John Smith Jr. and Bob Lee Sr. met Acme Inc. and Foo Ltd. and Bar Co. and Baz Corp. staff.",
     {"John Smith Jr. and Bob Lee Sr. met Acme Inc. and Foo Ltd. and Bar Co. and Baz Corp. staff."},
     NULL, NULL, NULL, NULL},
    {"company abbreviation ends a sentence before a starter", "Sanctions hit Acme Inc. The firm denied it.",
     {"Sanctions hit Acme Inc.", "The firm denied it."}, NULL, NULL, NULL, NULL},
    {"U.S. before a sentence starter", "It sought aid from the U.S. The Kremlin objected.",
     {"It sought aid from the U.S.", "The Kremlin objected."}, NULL, NULL,
     "It sought aid from the U.S. The Kremlin objected .", "WC W W W W WCU WC WC W PG"},
    {"U.S. before a name", "The U.S. Treasury said so.", {"The U.S. Treasury said so."}, NULL, NULL,
     NULL, NULL},
    {"U.K. and E.U.", "The U.K. and E.U. agreed. However, talks failed.",
     {"The U.K. and E.U. agreed.", "However, talks failed."}, NULL, NULL,
     "The U.K. and E.U. agreed . However , talks failed .", "WC WCU W WCU W PG WC PG W W PG"},
    {"a.m. and p.m.", "At 5 a.m. and 6 p.m. Kyiv time. At 6 p.m. The attack began.",
     {"At 5 a.m. and 6 p.m. Kyiv time.", "At 6 p.m.", "The attack began."}, NULL, NULL,
     NULL, NULL},
    {"approx. and est.", "approx. 5,000 troops, est. 2 brigades. More came.",
     {"approx. 5,000 troops, est. 2 brigades.", "More came."}, NULL, NULL,
     "approx. 5,000 troops , est. 2 brigades . More came .", NULL},
    {"initials", "John F. Kennedy and J. D. Vance spoke.",
     {"John F. Kennedy and J. D. Vance spoke."}, NULL, NULL,
     "John F. Kennedy and J. D. Vance spoke .", "WC WC WC W WC WC WC W PG"},
    {"U.S. at a line end before a capital", "Sanctions came from the U.S.\nThe Kremlin objected.",
     {"Sanctions came from the U.S.", "The Kremlin objected."}, "BB", "00", NULL, NULL},
    {"title at a line end", "It was signed by Gen.\nSyrskyi today.",
     {"It was signed by Gen.\nSyrskyi today."}, NULL, NULL, NULL, NULL},

    /* ---- lines: headlines, datelines, hard wraps ---- */
    {"headline block", "Key Takeaways:\n\nRussia attacked.",
     {"Key Takeaways:", "Russia attacked."}, "HB", "01", NULL, NULL},
    {"dateline block", "April 3, 2025\n\nRussia attacked. Kyiv held.",
     {"April 3, 2025", "Russia attacked.", "Kyiv held."}, "HBB", "011", NULL, NULL},
    {"dateline with time", "Apr 23, 2025 08:03 144", {"Apr 23, 2025 08:03 144"}, "H", "0",
     "Apr 23 , 2025 08 : 03 144", NULL},
    {"headline line then body", "Russia's Stance on Peace Talks\nAs tensions persist, talks stall.",
     {"Russia's Stance on Peace Talks", "As tensions persist, talks stall."}, "HB", "01", NULL, NULL},
    {"stacked headline lines", "Big News Today\nJOIN US ON TELEGRAM\nFollow us. We post daily.",
     {"Big News Today", "JOIN US ON TELEGRAM", "Follow us.", "We post daily."}, "HHBB", "0122",
     NULL, NULL},
    {"headline before a digit", "Casualties\n13 soldiers died.",
     {"Casualties", "13 soldiers died."}, "HB", "01", NULL, NULL},
    {"headline before a quote", "Statement\n\"We will fight,\" he said.",
     {"Statement", "\"We will fight,\" he said."}, "HB", "01", NULL, NULL},
    {"hard wrap before lowercase", "Yet compliance remains\ninconsistent. This matters.",
     {"Yet compliance remains\ninconsistent.", "This matters."}, "BB", "00", NULL, NULL},
    {"hard wrap after a function word", "Russian forces attacked positions near\nPokrovsk on Tuesday.",
     {"Russian forces attacked positions near\nPokrovsk on Tuesday."}, "B", NULL, NULL, NULL},
    {"hard wrap over several lines", "Troops shelled the city of\nKharkiv and the town of\nIzium overnight.",
     {"Troops shelled the city of\nKharkiv and the town of\nIzium overnight."}, "B", NULL, NULL, NULL},
    {"wrapped sentence is no headline", "The strikes hit the outskirts\nof Kharkiv late on Tuesday\nNight raids went on.",
     {"The strikes hit the outskirts\nof Kharkiv late on Tuesday\nNight raids went on."}, "B", NULL,
     NULL, NULL},
    {"short joined lines are no wrap evidence", "home\nnews\n\nBig Headline\nThe war went on.",
     {"home\nnews", "Big Headline", "The war went on."}, "HHB", "012", NULL, NULL},
    {"line ending in a comma continues", "Officials said,\nKyiv will respond.",
     {"Officials said,\nKyiv will respond."}, "B", NULL, NULL, NULL},
    {"punctuated lines share a block", "First line.\nSecond line.",
     {"First line.", "Second line."}, "BB", "00", NULL, NULL},
    {"blank lines make blocks", "One.\n\nTwo.\n \n\nThree.",
     {"One.", "Two.", "Three."}, "BBB", "012", NULL, NULL},
    {"blank line with spaces ends a headline", "A para\n   \nB para",
     {"A para", "B para"}, "HH", "01", NULL, NULL},
    {"paragraph without final period", "Russia attacked. Kyiv held\n\nNext one.",
     {"Russia attacked.", "Kyiv held", "Next one."}, "BBB", "001", NULL, NULL},
    {"long lead-in with colon is body",
     "The monitors wrote that the shelling of the city had not stopped during the talks, as three facts show:\n\nFirstly, it went on.",
     {"The monitors wrote that the shelling of the city had not stopped during the talks, as three facts show:",
      "Firstly, it went on."}, "BB", "01", NULL, NULL},
    {"punctuation-only block dropped", "One.\n\n***\n\nTwo.", {"One.", "Two."}, "BB", "01",
     "One . Two .", NULL},
    {"CRLF-free tabs in blank lines", "One.\n\t\nTwo.", {"One.", "Two."}, "BB", "01", NULL, NULL},

    /* ---- list items ---- */
    {"bullets", "\xE2\x80\xA2 First item.\n\xE2\x80\xA2 Second item.",
     {"First item.", "Second item."}, "II", "01", "First item . Second item .", "WC W PG WC W PG"},
    {"indented bullets", "  \xE2\x80\xA2 First item.\n  \xE2\x80\xA2 Second item.",
     {"First item.", "Second item."}, "II", "01", NULL, NULL},
    {"dash and star bullets", "- one thing\n* another thing", {"one thing", "another thing"}, "II", "01",
     NULL, NULL},
    {"other bullet glyphs", "\xC2\xB7 alpha\n\xE2\x96\xAA beta\n\xE2\x80\x93 gamma",
     {"alpha", "beta", "gamma"}, "III", "012", NULL, NULL},
    {"numbered items", "1. First point.\n2) Second point.\n10. Tenth point.",
     {"First point.", "Second point.", "Tenth point."}, "III", "012", NULL, NULL},
    {"item with two sentences", "\xE2\x80\xA2 Ukrainian troops held positions near Kupiansk. Russian troops pushed into Belgorod.",
     {"Ukrainian troops held positions near Kupiansk.", "Russian troops pushed into Belgorod."}, "II", "00",
     NULL, NULL},
    {"headline then bullets", "Key Takeaways:\n\xE2\x80\xA2 Russia seeks gains.\n\xE2\x80\xA2 Kyiv refuses.",
     {"Key Takeaways:", "Russia seeks gains.", "Kyiv refuses."}, "HII", "012", NULL, NULL},
    {"line after an item leaves the list", "\xE2\x80\xA2 Russia seeks gains.\nShare the Post:\n\nNext para.",
     {"Russia seeks gains.", "Share the Post:", "Next para."}, "IHB", "012", NULL, NULL},
    {"hard-wrapped item", "\xE2\x80\xA2 Russian forces advanced near\n  Pokrovsk and Toretsk.\n\xE2\x80\xA2 Next.",
     {"Russian forces advanced near\n  Pokrovsk and Toretsk.", "Next."}, "II", "01", NULL, NULL},
    {"indented line continues an item", "\xE2\x80\xA2 Russian forces advanced.\n  Ukrainian forces held.\nShare this:",
     {"Russian forces advanced.", "Ukrainian forces held.", "Share this:"}, "IIH", "001", NULL, NULL},
    {"item without punctuation", "\xE2\x80\xA2 Kyiv\n\xE2\x80\xA2 Lviv\n\nBody text.",
     {"Kyiv", "Lviv", "Body text."}, "IIB", "012", NULL, NULL},
    {"decimal at line start is no item", "1.5 million fled.", {"1.5 million fled."}, "B", NULL,
     "1.5 million fled .", NULL},
    {"bullet after body text", "Russia wants:\n- land\n- money\nIt said so.",
     {"Russia wants:", "land", "money", "It said so."}, "HIIB", "0123", NULL, NULL},

    /* ---- degenerate input ---- */
    {"empty", "", {NULL}, "", "", "", ""},
    {"only spaces", "   \n\n  \t \n", {NULL}, "", "", "", ""},
    {"only punctuation", "... --- !!! ? \xE2\x80\x94 ()", {NULL}, "", "", "", ""},
    {"lone bullet", "\xE2\x80\xA2\n\n- \n", {NULL}, "", "", "", ""},
    {"single word", "Kyiv", {"Kyiv"}, "H", "0", "Kyiv", "WC"},
};

/* ---- helpers ---- */

static void tok_flags(uint32_t f, char *buf)
{
    char *p = buf;
    if (f & SR_TOK_WORD) *p++ = 'W';
    if (f & SR_TOK_NUM) *p++ = 'N';
    if (f & SR_TOK_PUNCT) *p++ = 'P';
    if (f & SR_TOK_CAP) *p++ = 'C';
    if (f & SR_TOK_UPPER) *p++ = 'U';
    if (f & SR_TOK_GLUED) *p++ = 'G';
    *p = 0;
}

static int is_ws(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Checks the invariants of text.h; returns the number of violations and
 * prints each (prefixed by name). */
static int check_invariants(const char *name, const char *text, size_t len, const sr_split *sp)
{
    int bad = 0;
#define INV(cond, ...) do { if (!(cond)) { bad++; print_error("%s: invariant %s broken: ", name, #cond); \
    print_error(__VA_ARGS__); print_error("\n"); } } while (0)
    size_t ntok = 0;
    for (size_t i = 0; i < sp->nsents && bad < 5; i++) {
        const sr_sentence *s = &sp->sents[i];
        INV(s->start < s->end && s->end <= len, "sentence %zu [%u,%u)", i, s->start, s->end);
        if (s->start >= s->end || s->end > len)
            break;
        INV(!is_ws((unsigned char)text[s->start]) && !is_ws((unsigned char)text[s->end - 1]),
            "sentence %zu not trimmed", i);
        INV(s->ntok >= 1 && s->ntok <= 400, "sentence %zu has %u tokens", i, s->ntok);
        INV(s->tok0 == ntok, "sentence %zu tok0 %u, expected %zu", i, s->tok0, ntok);
        INV(s->kind <= SR_SENT_ITEM, "sentence %zu kind %u", i, s->kind);
        if (i == 0)
            INV(s->block == 0, "first block %u", s->block);
        else {
            const sr_sentence *p = s - 1;
            INV(p->end <= s->start, "sentences %zu and %zu overlap", i - 1, i);
            INV(s->block == p->block || s->block == p->block + 1,
                "block %u after %u", s->block, p->block);
        }
        int words = 0;
        for (uint32_t k = s->tok0; k < s->tok0 + s->ntok && k < sp->ntoks; k++) {
            const sr_token *t = &sp->toks[k];
            INV(t->start >= s->start && t->end <= s->end && t->start < t->end,
                "token %u [%u,%u) outside sentence %zu", k, t->start, t->end, i);
            if (k > 0)
                INV(sp->toks[k - 1].end <= t->start, "tokens %u and %u overlap", k - 1, k);
            uint32_t kind = t->flags & (SR_TOK_WORD | SR_TOK_NUM | SR_TOK_PUNCT);
            INV(kind == SR_TOK_WORD || kind == SR_TOK_NUM || kind == SR_TOK_PUNCT,
                "token %u flags %u", k, t->flags);
            words += kind != SR_TOK_PUNCT;
            for (uint32_t b = t->start; b < t->end; b++)
                INV(!is_ws((unsigned char)text[b]), "token %u holds white space", k);
        }
        INV(words > 0, "sentence %zu has only punctuation", i);
        INV(sp->toks[s->tok0].start == s->start && sp->toks[s->tok0 + s->ntok - 1].end == s->end,
            "sentence %zu not spanned by its tokens", i);
        ntok += s->ntok;
    }
    if (!bad)
        INV(ntok == sp->ntoks, "%zu tokens in sentences, %zu in all", ntok, sp->ntoks);
#undef INV
    return bad;
}

/* Joins the tokens of sp (or the flags of them) with single spaces. */
static char *join_tokens(const char *text, const sr_split *sp, int flags)
{
    sr_buf b = {0};
    sr_buf_put(&b, "", 0);
    for (size_t k = 0; k < sp->ntoks; k++) {
        if (k)
            sr_buf_putc(&b, ' ');
        if (flags) {
            char f[8];
            tok_flags(sp->toks[k].flags, f);
            sr_buf_puts(&b, f);
        } else {
            sr_buf_put(&b, text + sp->toks[k].start, sp->toks[k].end - sp->toks[k].start);
        }
    }
    return sr_buf_take(&b, NULL);
}

static int run_case(const scase *c, sr_split *sp)
{
    int bad = 0;
    size_t len = strlen(c->text);
    sr_text_split(c->text, len, sp);
    bad += check_invariants(c->name, c->text, len, sp);

    size_t nexp = 0;
    while (nexp < MAXS && c->sents[nexp])
        nexp++;
    if (nexp != sp->nsents) {
        print_error("%s: %zu sentences, expected %zu\n", c->name, sp->nsents, nexp);
        bad++;
    }
    for (size_t i = 0; i < nexp && i < sp->nsents; i++) {
        const sr_sentence *s = &sp->sents[i];
        size_t sl = s->end - s->start;
        if (strlen(c->sents[i]) != sl || memcmp(c->sents[i], c->text + s->start, sl) != 0) {
            print_error("%s: sentence %zu is \"%.*s\", expected \"%s\"\n", c->name, i, (int)sl,
                        c->text + s->start, c->sents[i]);
            bad++;
        }
        if (c->kinds && i < strlen(c->kinds) && "BHI"[s->kind % 3] != c->kinds[i]) {
            print_error("%s: sentence %zu kind %c, expected %c\n", c->name, i, "BHI"[s->kind % 3],
                        c->kinds[i]);
            bad++;
        }
        if (c->blocks && i < strlen(c->blocks) && (uint32_t)(c->blocks[i] - '0') != s->block) {
            print_error("%s: sentence %zu block %u, expected %c\n", c->name, i, s->block, c->blocks[i]);
            bad++;
        }
    }
    if (c->kinds && strlen(c->kinds) != nexp) {
        print_error("%s: table error: kinds for %zu sentences\n", c->name, strlen(c->kinds));
        bad++;
    }
    if (c->blocks && strlen(c->blocks) != nexp) {
        print_error("%s: table error: blocks for %zu sentences\n", c->name, strlen(c->blocks));
        bad++;
    }
    if (c->toks) {
        char *got = join_tokens(c->text, sp, 0);
        if (strcmp(got, c->toks) != 0) {
            print_error("%s: tokens\n   got \"%s\"\n  want \"%s\"\n", c->name, got, c->toks);
            bad++;
        }
        free(got);
    }
    if (c->flags) {
        char *got = join_tokens(c->text, sp, 1);
        if (strcmp(got, c->flags) != 0) {
            print_error("%s: flags\n   got \"%s\"\n  want \"%s\"\n", c->name, got, c->flags);
            bad++;
        }
        free(got);
    }
    return bad;
}

/* ---- tests ---- */

static void test_table(void **state)
{
    (void)state;
    sr_split sp = {0};  /* one split for all: its memory is reused */
    int failed = 0;
    for (size_t i = 0; i < SR_ARRAY_LEN(cases); i++)
        if (run_case(&cases[i], &sp))
            failed++;
    sr_split_free(&sp);
    if (failed)
        print_error("%d of %zu table cases failed\n", failed, SR_ARRAY_LEN(cases));
    assert_int_equal(failed, 0);
}

static void test_table_size(void **state)
{
    (void)state;
    assert_true(SR_ARRAY_LEN(cases) >= 60);
}

/* A split into a used sr_split equals a split into a fresh one. */
static void test_reuse(void **state)
{
    (void)state;
    const char *a = "Key Takeaways:\n\n\xE2\x80\xA2 One. Two.\n\xE2\x80\xA2 Three.\n\nFour five six seven.";
    const char *b = "Short.";
    sr_split used = {0}, fresh = {0};
    sr_text_split(a, strlen(a), &used);
    assert_int_equal(used.nsents, 5);
    sr_text_split(b, strlen(b), &used);
    sr_text_split(b, strlen(b), &fresh);
    assert_int_equal(used.nsents, fresh.nsents);
    assert_int_equal(used.ntoks, fresh.ntoks);
    assert_memory_equal(used.sents, fresh.sents, fresh.nsents * sizeof *fresh.sents);
    assert_memory_equal(used.toks, fresh.toks, fresh.ntoks * sizeof *fresh.toks);
    sr_text_split("", 0, &used);
    assert_int_equal(used.nsents, 0);
    assert_int_equal(used.ntoks, 0);
    sr_split_free(&used);
    sr_split_free(&fresh);
    sr_split_free(&fresh);  /* freeing twice is harmless */
    sr_split_free(NULL);
}

/* Offsets are relative to text even when len stops early (no NUL). */
static void test_len_respected(void **state)
{
    (void)state;
    const char *t = "Kyiv held. Russia attacked.";
    sr_split sp = {0};
    sr_text_split(t, 10, &sp);
    assert_int_equal(sp.nsents, 1);
    assert_int_equal(sp.sents[0].start, 0);
    assert_int_equal(sp.sents[0].end, 10);
    sr_split_free(&sp);
}

/* A sentence longer than 300 tokens is cut at the next comma; one with no
 * comma at 400 tokens. */
static void test_long_sentences(void **state)
{
    (void)state;
    sr_buf b = {0};
    for (int i = 0; i < 1000; i++)
        sr_buf_puts(&b, i % 50 == 49 ? "word, " : "word ");
    sr_buf_puts(&b, "end.");
    sr_split sp = {0};
    sr_text_split(b.p, b.n, &sp);
    assert_int_equal(check_invariants("long commas", b.p, b.n, &sp), 0);
    assert_true(sp.nsents >= 3);
    for (size_t i = 0; i + 1 < sp.nsents; i++) {
        const sr_sentence *s = &sp.sents[i];
        const sr_token *last = &sp.toks[s->tok0 + s->ntok - 1];
        assert_true(s->ntok >= 300 && s->ntok <= 400);
        assert_int_equal(b.p[last->start], ',');
        assert_int_equal(s->kind, SR_SENT_BODY);
        assert_int_equal(s->block, 0);
    }

    sr_buf_reset(&b);
    for (int i = 0; i < 1000; i++)
        sr_buf_puts(&b, "word ");
    sr_text_split(b.p, b.n, &sp);
    assert_int_equal(check_invariants("long plain", b.p, b.n, &sp), 0);
    assert_int_equal(sp.nsents, 3);
    assert_int_equal(sp.sents[0].ntok, 400);
    assert_int_equal(sp.sents[1].ntok, 400);
    assert_int_equal(sp.sents[2].ntok, 200);

    /* the pieces of a long list item stay items of one block */
    sr_buf_reset(&b);
    sr_buf_puts(&b, "\xE2\x80\xA2 ");
    for (int i = 0; i < 500; i++)
        sr_buf_puts(&b, "word ");
    sr_text_split(b.p, b.n, &sp);
    assert_int_equal(sp.nsents, 2);
    assert_int_equal(sp.sents[0].kind, SR_SENT_ITEM);
    assert_int_equal(sp.sents[1].kind, SR_SENT_ITEM);
    assert_int_equal(sp.sents[1].block, 0);
    sr_split_free(&sp);
    sr_buf_free(&b);
}

/* Inputs built to go quadratic or to confuse the look-ahead: each must
 * split within the invariants (ctest's timeout catches a hang). */
static void test_pathological(void **state)
{
    (void)state;
    static const char *units[] = {
        "'a", "a'", "1,", "[1", ".[1]", "U.", "a.", "\n", "\n\n", " \n", "...", "--",
        "\xE2\x80\xA2\n", "- \n", "1. ", "?\" ", "n't ", "'s", "\xE2\x80\x99", "A\n",
        "\xE2\x80\x94", "\xCC\x81", "\xFF", "\xE2\x80\xA8", "\xE2\x80\xA9", ". a ", "Gen. ",
    };
    sr_buf b = {0};
    sr_split sp = {0};
    for (size_t u = 0; u < SR_ARRAY_LEN(units); u++) {
        sr_buf_reset(&b);
        while (b.n < 200000)
            sr_buf_puts(&b, units[u]);
        sr_text_split(b.p, b.n, &sp);
        char name[64];
        snprintf(name, sizeof name, "pathological unit %zu", u);
        assert_int_equal(check_invariants(name, b.p, b.n, &sp), 0);
    }
    sr_split_free(&sp);
    sr_buf_free(&b);
}

/* Finds the sentence whose text is exactly want; returns its index or -1. */
static long find_sentence(const char *text, const sr_split *sp, const char *want)
{
    size_t wl = strlen(want);
    for (size_t i = 0; i < sp->nsents; i++) {
        const sr_sentence *s = &sp->sents[i];
        if (s->end - s->start == wl && memcmp(text + s->start, want, wl) == 0)
            return (long)i;
    }
    return -1;
}

static char *read_or_skip(const char *path, size_t *len)
{
    char *text;
    sr_err err;
    if (sr_read_file(path, &text, len, &err) != SR_OK) {
        printf("skipped: cannot read %s\n", path);
        return NULL;
    }
    return text;
}

/* The seed article (read at run time from ../shared; skipped if absent):
 * a few sentences that must come out whole. */
static void test_seed_article(void **state)
{
    (void)state;
    size_t len;
    char *text = read_or_skip(SR_SHARED_DIR "/corpus/seeds/000_7e0787a3f01882b2.txt", &len);
    if (!text)
        skip();
    sr_split sp = {0};
    sr_text_split(text, len, &sp);
    assert_int_equal(check_invariants("seed 000", text, len, &sp), 0);

    long i = find_sentence(text, &sp, "Ukrainian forces advanced near Pokrovsk.");
    assert_true(i >= 0);
    assert_int_equal(sp.sents[i].kind, SR_SENT_ITEM);
    long j = find_sentence(text, &sp, "Russian forces advanced in Kursk and Belgorod and near "
                                      "Lyman, Toretsk, Kurakhove, and Velyka Novosilka.");
    assert_int_equal(j, i + 1);
    assert_int_equal(sp.sents[j].kind, SR_SENT_ITEM);
    assert_int_equal(sp.sents[j].block, sp.sents[i].block);

    long k = find_sentence(text, &sp, "Key Takeaways:");
    assert_true(k >= 0);
    assert_int_equal(sp.sents[k].kind, SR_SENT_HEADLINE);
    assert_int_equal(sp.sents[k + 1].kind, SR_SENT_ITEM);
    assert_int_equal(sp.sents[k + 1].block, sp.sents[k].block + 1);

    long d = find_sentence(text, &sp, "April 3, 2025");
    assert_int_equal(d, 0);
    assert_int_equal(sp.sents[0].kind, SR_SENT_HEADLINE);

    /* the hard-wrapped sentence stays one, with its newline inside */
    int found = 0;
    for (size_t s = 0; s < sp.nsents; s++) {
        const char *a = text + sp.sents[s].start;
        size_t n = sp.sents[s].end - sp.sents[s].start;
        const char *w = "compliance remains\ninconsistent.";
        size_t wl = strlen(w);
        if (n >= wl && memcmp(a + n - wl, w, wl) == 0 && memcmp(a, "Yet, despite", 12) == 0)
            found = 1;
    }
    assert_true(found);

    /* the footnote marker stays with the sentence it ends */
    int foot = 0;
    for (size_t s = 0; s < sp.nsents; s++) {
        const char *a = text + sp.sents[s].start;
        size_t n = sp.sents[s].end - sp.sents[s].start;
        if (n > 20 && memcmp(a + n - 17, "United States.[1]", 17) == 0)
            foot = 1;
        assert_false(a[0] == '[');
    }
    assert_true(foot);
    sr_split_free(&sp);
    free(text);
}

/* All seed articles split within the invariants. */
static void test_seed_invariants(void **state)
{
    (void)state;
    static const char *seeds[] = {
        "000_7e0787a3f01882b2.txt", "001_0c1d219b95961d94.txt", "002_c2031fa1927c7633.txt",
        "003_2df755a04c3ef0f2.txt", "004_84dae7f6ae4b81ea.txt",
    };
    sr_split sp = {0};
    int seen = 0;
    for (size_t i = 0; i < SR_ARRAY_LEN(seeds); i++) {
        char path[512];
        size_t len;
        snprintf(path, sizeof path, "%s/corpus/seeds/%s", SR_SHARED_DIR, seeds[i]);
        char *text = read_or_skip(path, &len);
        if (!text)
            continue;
        seen++;
        sr_text_split(text, len, &sp);
        assert_int_equal(check_invariants(seeds[i], text, len, &sp), 0);
        assert_true(sp.nsents > 5);
        free(text);
    }
    sr_split_free(&sp);
    if (!seen)
        skip();
}

/* tests/data/split/<name>.txt against <name>.expected: one line per
 * sentence, "<kind letter> <block> <text>" with newlines written as \n. */
static void check_fixture(const char *name)
{
    char path[512];
    size_t len, elen;
    char *text, *exp;
    sr_err err;
    snprintf(path, sizeof path, "%s/split/%s.txt", SR_TEST_DATA, name);
    assert_int_equal(sr_read_file(path, &text, &len, &err), SR_OK);
    snprintf(path, sizeof path, "%s/split/%s.expected", SR_TEST_DATA, name);
    assert_int_equal(sr_read_file(path, &exp, &elen, &err), SR_OK);

    sr_split sp = {0};
    sr_text_split(text, len, &sp);
    assert_int_equal(check_invariants(name, text, len, &sp), 0);

    sr_buf got = {0};
    sr_buf_put(&got, "", 0);
    for (size_t i = 0; i < sp.nsents; i++) {
        const sr_sentence *s = &sp.sents[i];
        sr_buf_printf(&got, "%c %u ", "BHI"[s->kind % 3], s->block);
        for (uint32_t k = s->start; k < s->end; k++) {
            if (text[k] == '\n')
                sr_buf_puts(&got, "\\n");
            else
                sr_buf_putc(&got, text[k]);
        }
        sr_buf_putc(&got, '\n');
    }
    if (strcmp(got.p, exp) != 0)
        print_error("%s: got\n%s", name, got.p);
    assert_string_equal(got.p, exp);
    sr_buf_free(&got);
    sr_split_free(&sp);
    free(text);
    free(exp);
}

static void test_fixture_wrapped(void **state)
{
    (void)state;
    check_fixture("wrapped");
}

static void test_fixture_layout(void **state)
{
    (void)state;
    check_fixture("layout");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_size),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_reuse),
        cmocka_unit_test(test_len_respected),
        cmocka_unit_test(test_long_sentences),
        cmocka_unit_test(test_pathological),
        cmocka_unit_test(test_seed_article),
        cmocka_unit_test(test_seed_invariants),
        cmocka_unit_test(test_fixture_wrapped),
        cmocka_unit_test(test_fixture_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
