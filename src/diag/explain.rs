//! `evident explain CODE`: what each diagnostic code means, an example, and the fix. The match
//! is exhaustive, so a new code does not compile until it is explained.

use crate::diag::Code;

/// The long explanation of a code.
pub struct Explanation {
    /// What the code means and when it is reported, in a paragraph.
    pub meaning: &'static str,
    /// What triggers it, as an editor would write it; a written `\n` (backslash, n) marks a
    /// line break, which [`render`] turns into an indented new line.
    pub example: &'static str,
    /// How to make the problem go away.
    pub fix: &'static str,
}

/// The explanation of `code` (every code has one: the match is exhaustive).
pub fn explain(code: Code) -> Explanation {
    let (meaning, example, fix) = match code {
        Code::MalformedYaml => (
            "A YAML file (a claim, a page's front matter, a CSL-YAML or CSL-JSON source file, or evident.yaml) is not valid YAML or JSON, so nothing in it can be read. Duplicate keys and alias bombs are refused here too. Indentation mistakes are named in words at their line: a tab, a key or list item indented differently from the lines beside it, a key indented under a line that already has a value.",
            "statement: In a trial: 98% relactated   # a second `: ` inside plain text",
            "Quote text that contains `: ` or starts with a special character (\"…\"), indent with spaces (never tabs), and remove repeated keys.",
        ),
        Code::MalformedSource => (
            "A BibTeX, RIS or PubMed (.nbib) export could not be read: a syntax error, or a record evident cannot use (a BibTeX entry without a key). A record that reads but lacks its title, author or year is the warning `source-incomplete` instead. The position is where the reader stopped.",
            "@article{seema1997,\n  title = {Relactation   % the closing brace is missing",
            "Fix the export at that line, or export it again from the reference manager (Zotero, EndNote, PubMed's \"Send to: Citation manager\").",
        ),
        Code::EmptyFile => (
            "A claim, page or source file holds nothing (or only whitespace).",
            "content/claims/new-claim.yaml  (0 bytes)",
            "Write the claim or page (`evident new claim ID` scaffolds one), or delete the file.",
        ),
        Code::NotUtf8 => (
            "A file is not UTF-8 text, so it cannot be read safely. The position is where the first invalid byte is.",
            "A claim saved as Windows-1252 with a curly quote (byte 0x93).",
            "Save the file as UTF-8 in your editor (File → Save with encoding → UTF-8).",
        ),
        Code::FileTooLarge => (
            "A file is larger than evident reads for its kind (1 MiB for content and evident.yaml, 32 MiB for source files). Such files are nearly always data put in the wrong folder, and they would slow every build.",
            "content/raw-data.yaml of 40 MB",
            "Split the file, or move data that is not content out of content/ and citations/.",
        ),
        Code::UnreadableFile => (
            "A file could not be read from disk (permissions, or it vanished while evident was reading).",
            "content/claims/x.yaml: permission denied",
            "Check the file's permissions and run the command again.",
        ),
        Code::MissingFrontMatter => (
            "A Markdown page must start with YAML front matter between `---` lines: it holds the page's title, question and review.",
            "# Procedure for relactation   (first line of content/relactation/index.md)",
            "Start the file with `---`, then `title: …` and `question: …`, then a line `---`.",
        ),
        Code::UnclosedFrontMatter => (
            "A page opens its front matter with `---` but no later line closes it, so the whole file would be read as YAML.",
            "---\\ntitle: Procedure for relactation\\n\\nRelactation is …",
            "Add a line holding only `---` after the last front matter key.",
        ),
        Code::UnknownField => (
            "A key evident does not know. Usually a typo, which would otherwise silently drop what you wrote.",
            "statment: Most mothers can relactate.   # did you mean `statement`?",
            "Rename the key as the hint suggests; `evident schema` lists every field.",
        ),
        Code::WrongType => (
            "A value has the wrong shape: a list where text is expected, text where a mapping is expected.",
            "sources: pmid9283123   # must be a list of links",
            "Write the value in the shape the message names, e.g. `sources:` followed by `- id: pmid9283123`.",
        ),
        Code::MissingField => (
            "A required key is missing or empty: a claim's statement or kind, a page's title, a source link's id, a history entry's date, by or action.",
            "a claim file without `statement:`",
            "Add the key the message names.",
        ),
        Code::InvalidValue => (
            "A value is not one of the allowed ones (kind, certainty, strength, status, design, relation, and the options of evident.yaml). The hint lists the allowed values.",
            "kind: opinion   # finding | recommendation | definition | practice-point",
            "Use one of the listed values.",
        ),
        Code::InvalidDate => (
            "A date is not a real YYYY-MM-DD calendar date, or a review is dated after today (`--today`).",
            "date: 2025-02-30",
            "Write the date as YYYY-MM-DD, e.g. 2025-10-29, and never in the future.",
        ),
        Code::InvalidId => (
            "A claim id (its file name) or a page slug that evident cannot use as a page path: ids are lowercase letters, digits and hyphens, starting with a letter or digit, so no id can leave the output folder.",
            "content/claims/Relactation Rate.yaml",
            "Rename the file (or set `slug:`) as the hint suggests.",
        ),
        Code::DuplicateId => (
            "Two claim files share a stem, two source records share an id, or evident.yaml declares one reviewer or audience twice. Links would be ambiguous.",
            "content/claims/a/relactation-rate.yaml and content/claims/b/relactation-rate.yaml",
            "Rename one of them; to add evidence fields to a source, write an item with only `id` and those fields instead of a second record.",
        ),
        Code::UnknownSource => (
            "A claim cites a source id that no file in citations/ defines: the reference would dangle, as references 5 and 6 did on the page this project grew from.",
            "sources:\\n  - id: pmid9283213   # typo of pmid9283123",
            "Fix the id (the hint suggests the closest one) or add the record to citations/ (`evident new source ID`, `evident import FILE`).",
        ),
        Code::UnknownClaim => (
            "A page embeds `[[id]]` or links `[text](@id)` but no claim has that id. When a claim file of that name exists but could not be read, the message says so and points at the file's first error; when the id is a source's, it says so.",
            "- [[relactation-sucess-seema-trial]]",
            "Fix the id, fix the claim file the message points at, cite a source with `[@id]` instead, or create the claim with `evident new claim ID`.",
        ),
        Code::InlineClaim => (
            "`[[id]]` embeds a claim: its statement, grade, status and references, as a block of its own. Written inside a sentence it cannot be a block, so it is an error rather than a guess (the page shows the id as plain text). A link to a claim's page is written as a Markdown link with `@` and the claim's id as its destination.",
            "Mothers often succeed ([[relactation-success-seema-trial]]).",
            "To show the statement, put `[[id]]` alone on its own line or list item. To link to the claim's page, write `[text](@id)`, e.g. `[the Seema trial](@relactation-success-seema-trial)`.",
        ),
        Code::BrokenLink => (
            "A relative link in a page names a page that the site does not write, or an anchor (`#…`) that the page it points at does not have. Links are read as the page is published: a topic is at `<slug>/`, so another topic is `../other/` (with or without `index.html`), a claim `../claims/<id>/`, a source `../sources/<slug>/`, the grading legend `../grading/`; `/` at the start means the site root. Anchors checked are a topic's headings (ids as generated from their text, or written `{#id}`), its embedded claims (`claim-<id>`), its references (`ref-N`) and the default theme's fixed ids; anchors of other pages are not checked. External links (`https://`, `mailto:`) are checked only by `evident check --external`.",
            "See [the procedure](../relactaton/#preparation).",
            "Fix the path or the anchor (the hint names the closest existing one). A link to a claim's page is simplest as `[text](@id)`.",
        ),
        Code::UnpublishedLink => (
            "A page of the public site links to a page that the public site does not publish (a topic or claim that is not approved under `publish: approved`, or the editor dashboard while it is private). The link is dropped to its text, so the public site never links to a page it does not write; the preview keeps the link.",
            "See [the draft topic](../domperidone/).   (domperidone not yet approved)",
            "Have the linked page approved, or remove the link until it is.",
        ),
        Code::ExternalLink => (
            "`evident check --external` asked an external URL (a link in a page, a source's URL, or its DOI at https://doi.org/) and it did not answer with a success: a status of 400 or more, a timeout, or a connection error. Successes are cached in `.evident/cache/external.json` (the one file `check` writes; ignored by git) and re-used for `--external-max-age-days` days (default 7); failures are asked again at every check. URLs not asked by `--external-deadline` are reported as not checked.",
            "[guideline](https://example.org/moved-away)   → 404 Not Found",
            "Update the URL (or the source's `URL`/`DOI`), or remove it. A site that was only briefly down passes at the next check.",
        ),
        Code::UnknownCitation => (
            "A page cites `[@id]` in its prose but no source has that id.",
            "Relactation is possible [@seema1997].",
            "Use the id of a record in citations/ (the hint suggests the closest one).",
        ),
        Code::UnknownReviewer => (
            "A review history entry names a reviewer that evident.yaml does not declare, so the page could not say who reviewed it.",
            "by: dr-smith",
            "Declare the reviewer under `reviewers:` in evident.yaml, or fix the id.",
        ),
        Code::UnknownAudience => (
            "A claim has wording for an audience that evident.yaml does not declare; readers could never see it.",
            "audiences:\\n  parent: …   # the site declares `patient`",
            "Use a declared audience id, or declare the audience in evident.yaml.",
        ),
        Code::ReservedSlug => (
            "A page's slug is one evident uses for its own pages (claims, sources, review, grading, search, handouts, api, static, pagefind).",
            "content/sources/index.md",
            "Set another `slug:` in the page's front matter.",
        ),
        Code::SlugClash => (
            "Two pages would be written to the same folder (same slug), or two source ids differ only in case or punctuation and would share one page.",
            "content/relactation.md and content/relactation/index.md",
            "Give one of them another slug or id.",
        ),
        Code::SourceNeeded => (
            "A draft finding, recommendation or definition has no source yet. It may stay a draft; pages show it as \"source needed\". Submitting it for review without a source is an error (missing-source).",
            "a draft claim whose `sources:` is empty",
            "Find the source and add it with a locator and a quote, or keep the claim as a draft.",
        ),
        Code::MissingSource => (
            "A finding, recommendation or definition that has been submitted for review cites no source.",
            "review: {status: submitted} on a claim without `sources:`",
            "Add the source, or move the claim back to draft.",
        ),
        Code::MissingCertainty => (
            "A finding or recommendation past draft has no certainty of evidence.",
            "a submitted finding without `certainty:`",
            "Add `certainty:` in the site's scale and `certainty_reason:` (use `not-applicable` with a reason when grading does not apply).",
        ),
        Code::MissingStrength => (
            "A recommendation has no strength in the site's recommendation scale (an error from submitted on).",
            "kind: recommendation without `strength:`",
            "Add `strength:` (GRADE: strong or conditional).",
        ),
        Code::MissingBasis => (
            "A practice point (an ungraded good-practice statement) does not say why it is given.",
            "kind: practice-point without `basis:`",
            "Add `basis:` explaining why the point is given without graded evidence.",
        ),
        Code::MissingQuote => (
            "A claim-to-source link has no quote, so nobody can check the claim against the source's own words and its figures cannot be verified. Approving needs a quote on every link when `require_quotes` is on.",
            "sources:\\n  - id: pmid9283123\\n    locator: abstract",
            "Copy the sentence of the source that supports the claim into `quote:`, exactly.",
        ),
        Code::UnsupportedFigure => (
            "A number in the claim's statement or in an audience's wording is not found in the quotes of its cited sources (after normalising per cent forms, number words and dashes), and is not a cited sample size or year or a declared derived figure. This is how a figure pinned on the wrong study is caught.",
            "statement: 97% relactated   # quote says \"(98 per cent)\"",
            "Correct the number, quote the sentence that gives it, or declare it under `derived:` with how it was computed.",
        ),
        Code::QuoteNotInSource => (
            "A claim's quote has `locator: abstract`, and the cited source's record carries its abstract (PubMed `AB`, RIS `AB`/`N2`, BibTeX `abstract`, CSL `abstract`, kept by `evident import`), but the quote is not in it. Whitespace, curly quotes, dashes and the case of the first letter are forgiven, and `…` or `[...]` may stand for left-out words; nothing else, so a changed number or word is caught. The hint shows the passage of the abstract closest to the quote.",
            "quote: \"Relactation was successful in 48 mothers\"   # the abstract says 49",
            "Copy the passage from the abstract exactly (mark left-out words with `…`), set `locator:` to where in the source the quote really is, or add `allow: [{code: quote-not-in-source, reason: \"…\"}]` saying why it differs (a translated quote, say).",
        ),
        Code::WordingOverstatesCertainty => (
            "A claim whose certainty is low or very low (GRADE `low`/`very-low`; Oxford CEBM levels 3, 4 and 5) has a statement or wording that states it as certain: no hedge (may, might, can, could, probably, likely, suggests, appears, uncertain, some…) or a word such as always, never, will, proven, guarantees, cures. GRADE's guidance on informative statements (Santesso et al., J Clin Epidemiol 2020) words low certainty with \"may\" and very low with \"the evidence is very uncertain\". A wording that reports what one study found (\"In a small trial, …\", \"one study found\", \"Case series, n=7: …\") is an attribution and is not flagged. In a recommendation, only words of proof are flagged for certainty, and the wording must match the strength: a strong recommendation worded as optional (may consider, might, could, optional) or a conditional one worded as a must (must, always, have to, need to, required). It is an evidence-integrity warning: approval is refused until the wording is fixed or `allow:` gives the reason.",
            "certainty: low\\nstatement: Lids make kettles boil faster.   # no hedge",
            "Hedge the wording as GRADE does (\"Lids may make kettles boil faster\"; very low: \"The evidence is very uncertain about …\"), say which study found it, match a recommendation's wording to its strength, or add `allow: [{code: wording-overstates-certainty, reason: \"…\"}]` when the wording is right as it is.",
        ),
        Code::ImpossibleDate => (
            "A source's publication date (CSL `issued`, BibTeX `date`, `year` and `month`, RIS `PY`, `Y1` and `DA`, PubMed `DP`) cannot be a real date: a year that is not four digits from 1000 to 9999 (0, 99999), a month number outside 1 to 12, or a day its month does not have (day 32, February 30, February 29 outside a leap year). From a BibTeX, RIS or PubMed export, the possible part is kept (the year without the month 13, the month without the day 30); a CSL record keeps its date as written. CSL's months 13 to 16 are seasons (spring to winter) and are accepted. No clock is read, so a year in the future that has four digits is not flagged; `0000`, which some exporters write for an unknown year, is no date rather than a wrong one.",
            "@article{shed2019,\n  year = {2019}, month = {13},   % month 13",
            "Correct the date in the reference manager and export the record again, or fix it in the file.",
        ),
        Code::ReadingLevel => (
            "A wording for an audience marked `plain_language: true` in evident.yaml (by default the audience `patient`) has a Flesch–Kincaid grade above `plain_language.max_grade` (default 6, a reading age of about 11). Only English sites (`language: en` or `en-…`) are measured; when a claim has no wording for the audience, the statement it reads instead is measured. It informs and never blocks approval; the editor dashboard lists the grades.",
            "patient: Horticultural practitioners recommend establishing perennial herbaceous borders.   # grade 18",
            "Use shorter sentences and everyday words with fewer syllables; keep the meaning and every figure as verified.",
        ),
        Code::GradeAboveDesign => (
            "The claim's certainty is higher than the designs of its cited sources can carry under GRADE (randomised trials and systematic reviews up to high; cohort, case-control, cross-sectional and pharmacokinetic studies up to low; case series, case reports, surveys, reviews, guidelines, databases and opinion very low).",
            "certainty: high on a claim citing only a case series",
            "Lower the certainty, cite stronger evidence, or add `allow: [{code: grade-above-design, reason: \"…\"}]` when GRADE's upgrading criteria or a guideline's own grade justify it.",
        ),
        Code::EmbedsRetired => (
            "A page embeds a claim that was retired. The page still shows it, marked retired, with a link to its replacement.",
            "- [[nipple-toughening-exercises]]",
            "Embed the replacement named in the hint, or remove the embed.",
        ),
        Code::ReplacedByCycle => (
            "Retired claims name each other as replacements in a circle, so readers would never reach a current claim.",
            "a replaced_by b, b replaced_by a",
            "Point `replaced_by` at a claim that is not retired.",
        ),
        Code::UnknownReplacement => (
            "`replaced_by` (on a retired claim) or `superseded_by` (on a source) names an id that does not exist.",
            "retired: {reason: …, replaced_by: new-claim-typo}",
            "Use the id of an existing claim or source.",
        ),
        Code::CitesRetracted => (
            "A claim cites a source marked `retracted`. The claim is no longer shown as approved, and every page showing it carries a banner.",
            "a source with retracted: {date: 2026-01-10, notice: …}",
            "Replace the source and have the claim reviewed again, or retire the claim.",
        ),
        Code::CitesSuperseded => (
            "A claim cites a source that another source supersedes (`superseded_by:` on the source): a newer version, update or guideline replaces it. `evident review` refuses to submit, start or approve the claim until it cites the newer source or gives its reason under `allow:`.",
            "a source with superseded_by: nice-2024-update",
            "Cite the superseding source (check that it still says what the claim says), or add `allow: [{code: cites-superseded, reason: \"…\"}]` saying why the older source is the right one.",
        ),
        Code::UnknownRole => (
            "A reviewer in evident.yaml has a `role:` that `review.roles` does not declare, so evident cannot tell which review actions they may take. Role names are compared ignoring case.",
            "reviewers:\n  - {id: sam, name: Sam, role: clinical reviwer}",
            "Use one of the declared roles (by default author, clinical reviewer, editor), or declare the role under `review.roles` with its actions: `review: {roles: {pharmacist: [submit, start, approve, request-changes]}}`.",
        ),
        Code::SourceUnused => (
            "A source in citations/ is cited by no claim and no page.",
            "an imported record nobody cites yet",
            "Cite it, or remove it from citations/.",
        ),
        Code::SourceIncomplete => (
            "A source's record lacks its title, anyone responsible for it (an author, an organisation as author, or an editor), or its year. Its reference prints what the record has and nothing in place of what is missing (never its id), so readers may not find the work. Reported by `check` at the record, naming the fields to add.",
            "TY  - JOUR\nT2  - Statistics of garden sheds 2015\nPY  - 0000\nER  - ",
            "Add the missing fields in the file the record comes from (a `TI`, `AU` and `PY` line in RIS, `title`, `author` and `year` in BibTeX, `title:`, `author:` and `issued:` in CSL-YAML), or export the record again from a database that has them. A web page or dataset without a personal author names its organisation as the author (CSL `literal`, BibTeX `author = {{Garden Society}}`).",
        ),
        Code::DuplicateField => (
            "A BibTeX entry gives the same field twice (Zotero exports some records with `doi` twice). The entry is read with the first value; the later one is ignored. A CSL-JSON item with a key written twice is read as JSON readers read it, with the last value. (In a YAML file a repeated key is the error `malformed-yaml`.)",
            "@misc{shed2018,\n  doi = {10.1234/shed},\n  doi = {10.1234/shed},\n}",
            "Delete one of the two lines, keeping the right value.",
        ),
        Code::SourceWithoutDesign => (
            "A source has no study design, so the grade check cannot weigh what it can support.",
            "- id: pmid9283123 (no design)",
            "In a CSL-YAML record, add `design:`. For a record read from a .bib, .ris, .nbib or CSL-JSON export, add an annotation item to a CSL-YAML file in citations/ (e.g. citations/evidence.yaml): `- {id: pmid9283123, design: rct, sample_size: 50}`. PubMed records whose publication types name a design for sure (Randomized Controlled Trial, Systematic Review, Meta-Analysis, Practice Guideline, Case Reports) get it without one.",
        ),
        Code::ApprovedWithoutHistory => (
            "A claim or page says `status: approved` but its history records no approval, so there is no reviewer or fingerprint behind it.",
            "review: {status: approved, history: []}",
            "Record approvals with `evident review approve ID --by REVIEWER` rather than editing the status.",
        ),
        Code::ChangedSinceApproval => (
            "Approved content changed after its approval: its fingerprint no longer matches the one recorded. It is shown everywhere as \"changed since approval\", never as approved.",
            "an approved claim whose number was edited afterwards",
            "Have it reviewed again: `evident review submit ID --by REVIEWER`, then `evident review start ID --by REVIEWER` and `evident review approve ID --by REVIEWER` (a reviewer whose role may start and approve).",
        ),
        Code::ApprovedVersion => (
            "The public site is built from the approved versions kept under reviewed/, each written by `evident review approve` and checked against the fingerprint of the approval it records. This one was edited, records an approval its content file does not, or is missing for content that changed after its approval.",
            "reviewed/content/claims/x.yaml with a number changed by hand",
            "Restore the file from version control, or have the item approved again: `evident review submit ID --by REVIEWER`, then start and approve.",
        ),
        Code::InvalidReview => (
            "A review block contradicts itself: a retired claim without `retired:`, or a `retired:` block on a claim that is not retired.",
            "status: retired with no reason",
            "Use `evident review retire ID --by REVIEWER --reason …`, which writes both.",
        ),
        Code::UnsupportedFormat => (
            "A file in citations/ has a bibliographic format evident does not read.",
            "citations/library.enw",
            "Export CSL-JSON, BibTeX, RIS or PubMed (.nbib) instead.",
        ),
        Code::DuplicateIdentifier => (
            "One DOI or PMID appears under two source ids: the same work is cited twice under different names, so its claims are split.",
            "pmid9283123 and seema1997 with the same DOI",
            "Keep one record and cite its id everywhere.",
        ),
        Code::DuplicateImport => (
            "`evident import` did not write a record because it is a work already held: a source of the site (in any file and format) or an earlier record of the same export with the same PMID, else the same DOI (in any case), else the same title (case, punctuation, spacing and accents aside) and year. Writing it would cite one work under two ids. The message names the record it duplicates and where that is written; the import exits 1.",
            "citations/pmid9283123.yaml exists, and the RIS export holds the same article (AN  - 9283123, DB  - PubMed)",
            "Delete the record from the export, or run `evident import --update FILE` to add the fields the site's CSL-YAML file lacks (those it has are kept as written, and so are its comments). A duplicate of a .bib, .ris, .nbib or .json file is not merged: add the fields there by hand.",
        ),
        Code::AllowWithoutReason => (
            "An `allow:` entry silences a warning without saying why. Readers of the claim page see the reason, so it is required.",
            "allow: [{code: grade-above-design}]",
            "Add `reason:`.",
        ),
        Code::UnknownAllow => (
            "An `allow:` entry names a code that does not exist, so it silences nothing.",
            "allow: [{code: grade-above-desing, reason: …}]",
            "Use a code from `evident explain`.",
        ),
        Code::ThemeOutsideSite => (
            "evident.yaml's `theme` names `default` (built in) or a folder of themes/. A theme's static files are published with the site and its templates run at every build, so a theme must lie inside the site: a name that is a path (`../x`, `/home/x`), or a theme folder (or its templates/, static/ or handout/ folder, or a handout template) that is a symbolic link leading outside the site, is refused, and nothing is built. Links deeper inside a theme are never followed.",
            "theme: ../../shared/garden-theme",
            "Copy the theme into themes/<name>/ (or make that folder a real folder rather than a link) and write `theme: <name>`.",
        ),
        Code::RawHtml => (
            "Raw HTML in a statement or a page. evident never trusts HTML from content: it is shown as text, so it cannot run script.",
            "statement: Most mothers <b>relactated</b>.",
            "Use Markdown (`**relactated**`) instead of HTML.",
        ),
        Code::SymlinkSkipped => (
            "A file or folder in content/, citations/ or reviewed/ is a symbolic link. evident reads only what is in the site's folders and does not follow links (one could point anywhere on the machine, and a build must not depend on files outside the site), so the claims, pages or sources behind it are missing from the site. Reported at the link's own path.",
            "content/claims/teapot.yaml -> /home/me/notes/teapot.yaml",
            "Copy the file or folder into the site in place of the link (or move it there), or delete the link.",
        ),
        Code::SupersededByItself => (
            "A source's `superseded_by:` names its own id. A source cannot replace itself: claims citing it would be told to cite the very source they cite.",
            "id: tea-survey-2020\nsuperseded_by: tea-survey-2020",
            "Name the id of the newer source that replaces this one, or remove `superseded_by:`.",
        ),
        Code::ControlCharacter => (
            "A control character (U+0000–U+001F but tab and line ends, U+007F, or U+0080–U+009F: BEL, ESC, form feed…) is in a claim, a page, a source file or evident.yaml, written as it is or as a YAML escape (\"\\a\"). It is invisible, means nothing on a web page or on paper, and a PDF cannot show it. evident reads the file as if it were a space (an escaped one is left out) and reports where it is; the file itself is not changed.",
            "statement: Steep the tea␇ for three minutes.   # ␇ stands for an invisible BEL pasted from a terminal",
            "Delete the character at the line and column named. It usually comes with text pasted from a PDF, a terminal or an old export; an editor that shows invisible characters finds it.",
        ),
        Code::MissingGlyph => (
            "A PDF handout has a character that none of the fonts evident can use has a glyph for: the fonts built into evident, the site's own (`handout.fonts:` in evident.yaml) and the machine's (fontconfig's folders). The PDF is written without the character; the warning names the character and the first place it is written in a file the handout is made from. Reported by `build` and `handout`, which make PDFs, on the machine they run on.",
            "title: Tea for two 🫖   # on a machine without an emoji font",
            "Name a font file of the site that has the character under `handout.fonts:` in evident.yaml (it then travels with the site), or install one on the machine that builds (Debian: fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji), or write the text without it.",
        ),
    };
    Explanation {
        meaning,
        example,
        fix,
    }
}

/// The text printed by `evident explain CODE`.
pub fn render(code: Code) -> String {
    let e = explain(code);
    let example = e.example.replace("\\n", "\n    ");
    format!(
        "{}\n\n{}\n\nExample:\n    {}\n\nFix: {}\n",
        code.as_str(),
        e.meaning,
        example,
        e.fix
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_explained() {
        for code in Code::ALL {
            let e = explain(*code);
            assert!(e.meaning.len() > 40, "{code}: meaning too short");
            assert!(!e.example.is_empty(), "{code}: no example");
            assert!(e.fix.len() > 10, "{code}: no fix");
            assert!(render(*code).starts_with(code.as_str()));
        }
    }
}
