@testable import Engine
import Foundation
import Testing
import TestSupport

@Suite struct KnowledgeLoaderTests {
    static func write(_ text: String, to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    static let pdftotextMessage = "pdftotext not found: install poppler-utils (scripts/setup does)"

    /// Tests that read PDFs need poppler's pdftotext, which scripts/setup installs: without it they fail, saying so.
    static func requirePdftotext() throws {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin"]
        let found = folders.contains { FileManager.default.isExecutableFile(atPath: "\($0)/pdftotext") }
        try #require(found, "pdftotext is missing: run scripts/setup (it installs poppler-utils)")
    }

    static let html = """
    <!DOCTYPE html>
    <html><head><meta charset="utf-8"><title>Fish &amp; Chips &#8211; a guide</title>
    <style>body { color: red; } p > a::after { content: "</p>"; }</style>
    <script>var s = "<p>not text</p>"; if (a < b && c > d) {}</script>
    </head>
    <body>
    <!-- a comment <p>hidden</p> -->
    <h1>Fish&nbsp;and   chips</h1>
    <p class="lead" data-x="a > b">Cod, haddock &lt;or&gt; plaice &mdash; &quot;fried&quot;
       in batter.</p>
    <noscript><p>Enable JavaScript</p></noscript>
    <ul>
      <li>Salt &#38; vinegar</li>
      <li>Mushy peas &#x2014; optional</li>
    </ul>
    <div>Line one<br>Line two<br/></div>
    <table><tr><th>Item</th><th>Price</th></tr><tr><td>Cod</td><td>&pound;8</td></tr></table>
    <p>Caf&eacute; 5 &lt; 6, <b>bold</b>er &unknown; &amp</p>
    <SCRIPT type="module">alert("x")</SCRIPT>
    </body></html>
    """

    static let htmlText = """
    Fish and chips

    Cod, haddock <or> plaice — "fried" in batter.

    Salt & vinegar
    Mushy peas — optional

    Line one
    Line two

    Item Price
    Cod £8

    Café 5 < 6, bolder &unknown; &amp
    """

    // MARK: local files

    @Test func folderReadsEveryKnownFileInPathOrder() async throws {
        let folder = try TestEnvironment.temporaryFolder("knowledge")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.write("Plain text.\r\nSecond line.\rThird.\n", to: folder.appendingPathComponent("b.txt"))
        try Self.write("\u{FEFF}# Notes on fish\n\nSome *markdown*.\n", to: folder.appendingPathComponent("a/notes.md"))
        try Self.write("```\n# not a title\n```\nNo heading here.\n", to: folder.appendingPathComponent("a/z.markdown"))
        try Self.write(Self.html, to: folder.appendingPathComponent("page.HTM"))
        try Self.write("name,note\nAda,first\n", to: folder.appendingPathComponent("c.csv"))
        try Self.write("{\"ignored\": true}", to: folder.appendingPathComponent("list.json"))
        try Self.write("print('ignored')", to: folder.appendingPathComponent("script.py"))
        try Self.write("hidden", to: folder.appendingPathComponent(".secret.txt"))
        try Self.write("hidden too", to: folder.appendingPathComponent(".git/HEAD.txt"))
        let outside = try TestEnvironment.temporaryFolder("outside")
        defer { try? FileManager.default.removeItem(at: outside) }
        try Self.write("Linked in.", to: outside.appendingPathComponent("elsewhere.txt"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("d"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("d/link.txt"),
                                                   withDestinationURL: outside.appendingPathComponent("elsewhere.txt"))
        #expect(try KnowledgeLoader.needsNetwork(folder) == false)

        let result = try await KnowledgeLoader().load(folder)
        #expect(result.failures.isEmpty, "\(result.failures)")
        #expect(result.documents.map(\.source) == ["a/notes.md", "a/z.markdown", "b.txt", "c.csv#row 1", "d/link.txt", "page.HTM"])
        try #require(result.documents.count == 6)
        #expect(result.documents[0] == KnowledgeDocument(source: "a/notes.md", title: "Notes on fish", text: "# Notes on fish\n\nSome *markdown*.\n"))
        #expect(result.documents[1].title == nil)
        #expect(result.documents[2] == KnowledgeDocument(source: "b.txt", text: "Plain text.\nSecond line.\nThird.\n"))
        #expect(result.documents[3].text == "name: Ada\nnote: first")
        #expect(result.documents[4].text == "Linked in.")
        #expect(result.documents[5] == KnowledgeDocument(source: "page.HTM", title: "Fish & Chips – a guide", text: Self.htmlText))
    }

    @Test func oneFileIsLoadedByItself() async throws {
        let folder = try TestEnvironment.temporaryFolder("knowledge")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("guide.txt")
        try Self.write("Just this.", to: file)
        let result = try await KnowledgeLoader().load(file)
        #expect(result.documents == [KnowledgeDocument(source: "guide.txt", text: "Just this.")])
    }

    @Test func invalidUTF8IsAFailureNamingTheFileAndByte() async throws {
        let folder = try TestEnvironment.temporaryFolder("knowledge")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data([0x6F, 0x6B, 0x0A, 0x61, 0xC3, 0xA9, 0xFF, 0x62]).write(to: folder.appendingPathComponent("bad.txt"))
        try Self.write("", to: folder.appendingPathComponent("empty.md"))
        try Self.write("fine", to: folder.appendingPathComponent("good.txt"))
        let result = try await KnowledgeLoader().load(folder)
        #expect(result.documents.map(\.source) == ["good.txt"])
        #expect(result.failures == [
            KnowledgeFailure(source: "bad.txt", reason: "not valid UTF-8 at byte 6 (line 2)"),
            KnowledgeFailure(source: "empty.md", reason: "no text found"),
        ])
    }

    @Test func csvRowsBecomeDocumentsWithQuotesAndLineBreaksKept() async throws {
        let folder = try TestEnvironment.temporaryFolder("knowledge")
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = "name,comment,score\r\n"
            + "Ada,\"Wrote the first program, arguably\",10\r\n"
            + "\"Grace \"\"Amazing\"\" Hopper\",\"Line one\r\nLine two\",9\r\n"
            + "Linus,,\r\n"
            + ",,\r\n"
            + "Extra,field,1,surplus\r\n"
        try Self.write(csv, to: folder.appendingPathComponent("people.csv"))
        let result = try await KnowledgeLoader().load(folder.appendingPathComponent("people.csv"))
        #expect(result.failures.isEmpty)
        #expect(result.documents == [
            KnowledgeDocument(source: "people.csv#row 1", text: "name: Ada\ncomment: Wrote the first program, arguably\nscore: 10"),
            KnowledgeDocument(source: "people.csv#row 2", text: "name: Grace \"Amazing\" Hopper\ncomment: Line one\nLine two\nscore: 9"),
            KnowledgeDocument(source: "people.csv#row 3", text: "name: Linus"),
            KnowledgeDocument(source: "people.csv#row 5", text: "name: Extra\ncomment: field\nscore: 1\ncolumn 4: surplus"),
        ])
    }

    @Test func malformedOrEmptyCSVIsAFailure() async throws {
        let folder = try TestEnvironment.temporaryFolder("knowledge")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.write("a,b\n1,\"closed \"\"quote\"\"\"\n2,\"never closed\n3,x\n", to: folder.appendingPathComponent("broken.csv"))
        try Self.write("a,b\n", to: folder.appendingPathComponent("header-only.csv"))
        let result = try await KnowledgeLoader().load(folder)
        #expect(result.documents.isEmpty)
        #expect(result.failures == [
            KnowledgeFailure(source: "broken.csv", reason: "malformed CSV: a quoted field opened in row 2 is never closed"),
            KnowledgeFailure(source: "header-only.csv", reason: "no rows with text"),
        ])
    }

    @Test func pdfTextComesFromPdftotext() async throws {
        try Self.requirePdftotext()
        let folder = try TestEnvironment.temporaryFolder("knowledge")
        defer { try? FileManager.default.removeItem(at: folder) }
        try MinimalPDF.make(pages: [["Cod is a fish (Gadus).", "It is fried in batter."], ["Second page here."]])
            .write(to: folder.appendingPathComponent("fish.pdf"))
        try MinimalPDF.make(pages: [[]]).write(to: folder.appendingPathComponent("scanned.pdf"))
        try Self.write("this is not a PDF at all", to: folder.appendingPathComponent("fake.pdf"))
        let result = try await KnowledgeLoader().load(folder)
        #expect(result.documents.count == 1)
        let document = try #require(result.documents.first)
        #expect(document.source == "fish.pdf")
        let lines = document.text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines == ["Cod is a fish (Gadus).", "It is fried in batter.", "", "Second page here."], "\(document.text)")
        #expect(!document.text.contains("\u{0C}"))
        #expect(result.failures.map(\.source) == ["fake.pdf", "scanned.pdf"])
        try #require(result.failures.count == 2)
        let fake = result.failures[0].reason
        #expect(fake.hasPrefix("pdftotext failed (exit status 1): ") && fake.contains("Syntax Error") && !fake.contains("\n"), "\(fake)")
        #expect(result.failures[1].reason.hasPrefix("no text found (a scanned PDF"))
    }

    @Test func missingPdftotextIsAClearFailure() async throws {
        let folder = try TestEnvironment.temporaryFolder("knowledge")
        defer { try? FileManager.default.removeItem(at: folder) }
        try MinimalPDF.make(pages: [["Hello."]]).write(to: folder.appendingPathComponent("doc.pdf"))
        try Self.write("still read", to: folder.appendingPathComponent("doc.txt"))
        let result = try await KnowledgeLoader(pdftotext: folder.appendingPathComponent("no-such-pdftotext").path).load(folder)
        #expect(result.documents.map(\.source) == ["doc.txt"])
        #expect(result.failures == [KnowledgeFailure(source: "doc.pdf", reason: Self.pdftotextMessage)])
    }

    @Test func htmlEdgeCases() {
        #expect(HTMLText.extract("<p>a &#0; b &#x110000; c &#65 &#x42;</p>").text == "a \u{FFFD} b \u{FFFD} c A B")
        #expect(HTMLText.extract("if a < b and c > d then <i>e</i>").text == "if a < b and c > d then e")
        #expect(HTMLText.extract("<P>Kept</P><SCRIPT>never closed <p>gone").text == "Kept")
        #expect(HTMLText.extract("<title>  Two\n words </title><p>x").title == "Two words")
        #expect(HTMLText.extract("<title></title>x").title == nil)
        #expect(HTMLText.extract("<head><title>T</title><link rel=x></head>Body").text == "Body")
        #expect(HTMLText.extract("<div><div><p>deep</p></div></div><li>one<li>two").text == "deep\n\none\ntwo")
        #expect(HTMLText.extract("<a href='x>y'>link</a> <img alt=\"a > b\"> end").text == "link end")
    }

    // MARK: source lists

    @Test func sourceListReadsLocalEntriesRelativeToItsFolder() async throws {
        try Self.requirePdftotext()
        let folder = try TestEnvironment.temporaryFolder("knowledge")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.write("Text entry.", to: folder.appendingPathComponent("docs/one.txt"))
        try Self.write("# Title\nMarkdown entry.", to: folder.appendingPathComponent("docs/two.md"))
        try Self.write("q,a\nWhy?,Because.\n", to: folder.appendingPathComponent("faq.csv"))
        try MinimalPDF.make(pages: [["A PDF entry."]]).write(to: folder.appendingPathComponent("paper.pdf"))
        let absolute = folder.appendingPathComponent("docs/one.txt").path
        let list = folder.appendingPathComponent("sources/knowledge.json")
        try Self.write("""
        {"local_txt": ["../docs/one.txt", "../docs/two.md", "../docs/missing.txt", "\(absolute)"],
         "local_csv": ["../faq.csv"], "local_pdf": ["../paper.pdf"], "web_links": [], "wiki_pages": null}
        """, to: list)
        #expect(try KnowledgeLoader.needsNetwork(list) == false)
        let result = try await KnowledgeLoader().load(list)
        #expect(result.documents.map(\.source) == ["../faq.csv#row 1", "../docs/one.txt", "../docs/two.md", absolute, "../paper.pdf"])
        try #require(result.documents.count == 5)
        #expect(result.documents[2].title == "Title")
        #expect(result.documents[4].text.trimmingCharacters(in: .whitespaces) == "A PDF entry.")
        #expect(result.failures == [KnowledgeFailure(source: "../docs/missing.txt", reason: "file not found")])
    }

    @Test(arguments: [
        (#"{"local_txt": ["a.txt"], "web_link": ["https://example.com"]}"#, "web_link: unknown key"),
        (#"{"local_txt": "a.txt"}"#, "local_txt: expected a list of strings, found a string"),
        (#"{"local_csv": [1]}"#, "local_csv[0]: expected a string, found a number"),
        (#"{"wiki_pages": ["Fish", " "]}"#, "wiki_pages[1]: empty entry"),
        (#"{"wiki_pages": ["Fish|Chips"]}"#, "wiki_pages[0]: one title per entry"),
        (#"{"web_pdfs": ["ftp://example.com/a.pdf"]}"#, #"web_pdfs[0]: expected an http or https URL, found "ftp://example.com/a.pdf""#),
        (#"["a.txt"]"#, "expected a JSON object at the top level"),
        (#"{"local_txt": ["#, "not valid JSON"),
    ])
    func badSourceListIsAnErrorNamingFileAndKey(json: String, message: String) async throws {
        let folder = try TestEnvironment.temporaryFolder("knowledge")
        defer { try? FileManager.default.removeItem(at: folder) }
        let list = folder.appendingPathComponent("knowledge.json")
        try Self.write(json, to: list)
        for attempt in 0..<2 {
            do {
                if attempt == 0 { _ = try await KnowledgeLoader().load(list) } else { _ = try KnowledgeLoader.needsNetwork(list) }
                Issue.record("no error for \(json)")
            } catch let error as KnowledgeError {
                #expect(error.description.hasPrefix("\(list.path): \(message)"), "\(error.description)")
            }
        }
    }

    @Test func unusablePathsThrow() async throws {
        let folder = try TestEnvironment.temporaryFolder("knowledge")
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("nowhere")
        await #expect(throws: KnowledgeError.self) { try await KnowledgeLoader().load(missing) }
        #expect(throws: KnowledgeError.self) { try KnowledgeLoader.needsNetwork(missing) }
        try Self.write("x", to: folder.appendingPathComponent("image.png"))
        do {
            _ = try await KnowledgeLoader().load(folder.appendingPathComponent("image.png"))
            Issue.record("a .png was accepted")
        } catch let error as KnowledgeError {
            #expect(error.description.contains("cannot read .png files as knowledge"))
        }
        // A folder with nothing readable is as unusable as a missing one.
        do {
            _ = try await KnowledgeLoader().load(folder)
            Issue.record("a folder without documents was accepted")
        } catch let error as KnowledgeError {
            #expect(error.description == "\(folder.path): no .csv, .htm, .html, .markdown, .md, .pdf, .txt files inside")
        }
    }

    // MARK: network sources

    /// A served folder: an HTML page, a PDF, a text file and a fake Wikipedia API.
    static func makeSite() throws -> URL {
        let site = try TestEnvironment.temporaryFolder("site")
        try write(html, to: site.appendingPathComponent("guide.html"))
        try write("Plain served text.\r\n", to: site.appendingPathComponent("notes.txt"))
        try MinimalPDF.make(pages: [["Served PDF text."]]).write(to: site.appendingPathComponent("paper.pdf"))
        try write("""
        {"batchcomplete": "", "query": {"normalized": [{"from": "ada lovelace", "to": "Ada Lovelace"}],
         "pages": {"974": {"pageid": 974, "ns": 0, "title": "Ada Lovelace",
         "extract": "Augusta Ada King was an English mathematician.\\n\\n== Early life ==\\nShe was born in London."}}}}
        """, to: site.appendingPathComponent("w/api/ada lovelace.json"))
        try write("""
        {"query": {"pages": {"-1": {"ns": 0, "title": "Café au lait", "missing": ""}}}}
        """, to: site.appendingPathComponent("w/api/Café au lait.json"))
        return site
    }

    @Test func webLinksPDFsAndWikiPagesLoadOverHTTP() async throws {
        try Self.requirePdftotext()
        let site = try Self.makeSite()
        defer { try? FileManager.default.removeItem(at: site) }
        let server = try LoopbackFileServer(serving: site)
        defer { server.stop() }
        let base = server.baseURL
        let folder = try TestEnvironment.temporaryFolder("knowledge")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.write("Local text.", to: folder.appendingPathComponent("local.txt"))
        let list = folder.appendingPathComponent("knowledge.json")
        try Self.write("""
        {"web_links": ["\(base)/guide.html", "\(base)/gone.html", "\(base)/paper.pdf", "\(base)/notes.txt"],
         "web_pdfs": ["\(base)/paper.pdf", "\(base)/missing.pdf", "\(base)/guide.html"],
         "wiki_pages": ["ada lovelace", "Café au lait", "Not Served"],
         "local_txt": ["local.txt"]}
        """, to: list)
        #expect(try KnowledgeLoader.needsNetwork(list))

        let result = try await KnowledgeLoader(httpTimeout: 10, wikipediaBaseURL: base).load(list)
        #expect(result.documents.map(\.source) == [
            "\(base)/guide.html", "\(base)/paper.pdf", "\(base)/notes.txt", "\(base)/paper.pdf", "wiki:ada lovelace", "local.txt",
        ])
        try #require(result.documents.count == 6)
        #expect(result.documents[0].title == "Fish & Chips – a guide")
        #expect(result.documents[0].text == Self.htmlText)
        #expect(result.documents[1].text.trimmingCharacters(in: .whitespaces) == "Served PDF text.")
        #expect(result.documents[2].text == "Plain served text.\n")
        #expect(result.documents[3] == result.documents[1])
        #expect(result.documents[4] == KnowledgeDocument(
            source: "wiki:ada lovelace", title: "Ada Lovelace",
            text: "Augusta Ada King was an English mathematician.\n\n== Early life ==\nShe was born in London."))

        #expect(result.failures.map(\.source) == [
            "\(base)/gone.html", "\(base)/missing.pdf", "\(base)/guide.html", "wiki:Café au lait", "wiki:Not Served",
        ])
        try #require(result.failures.count == 5)
        #expect(result.failures[0].reason.hasPrefix("HTTP 404 ("), "\(result.failures[0].reason)")
        #expect(result.failures[1].reason.hasPrefix("HTTP 404 ("), "\(result.failures[1].reason)")
        #expect(result.failures[2].reason.hasPrefix("pdftotext failed"), "\(result.failures[2].reason)")
        #expect(result.failures[3].reason == "no Wikipedia page with this title")
        #expect(result.failures[4].reason.hasPrefix("HTTP 404 ("), "\(result.failures[4].reason)")
    }

    @Test func refusedAndSilentServersAreFailuresNamingTheReason() async throws {
        let silent = try SilentListener()
        defer { silent.close() }
        let closed = try SilentListener()
        let closedURL = closed.baseURL
        closed.close()
        let folder = try TestEnvironment.temporaryFolder("knowledge")
        defer { try? FileManager.default.removeItem(at: folder) }
        let list = folder.appendingPathComponent("knowledge.json")
        try Self.write("""
        {"web_links": ["\(closedURL)/page.html", "\(silent.baseURL)/page.html"], "wiki_pages": ["Anything"]}
        """, to: list)
        let result = try await KnowledgeLoader(httpTimeout: 1, wikipediaBaseURL: closedURL).load(list)
        #expect(result.documents.isEmpty)
        #expect(result.failures == [
            KnowledgeFailure(source: "\(closedURL)/page.html", reason: "cannot connect (connection refused)"),
            KnowledgeFailure(source: "\(silent.baseURL)/page.html", reason: "timed out after 1 s"),
            KnowledgeFailure(source: "wiki:Anything", reason: "cannot connect (connection refused)"),
        ])
    }

    @Test func nothingIsFetchedWithoutNetworkSources() async throws {
        // Both the Wikipedia base and every other address point at a closed port: any request
        // would come back as a "cannot connect" failure.
        let closed = try SilentListener()
        let closedURL = closed.baseURL
        closed.close()
        let folder = try TestEnvironment.temporaryFolder("knowledge")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.write("Only local.", to: folder.appendingPathComponent("a.txt"))
        try Self.write(Self.html, to: folder.appendingPathComponent("saved.html"))
        let list = folder.appendingPathComponent("knowledge.json")
        try Self.write(#"{"local_txt": ["a.txt"], "web_links": [], "web_pdfs": [], "wiki_pages": []}"#, to: list)
        let loader = KnowledgeLoader(httpTimeout: 1, wikipediaBaseURL: closedURL)
        #expect(try KnowledgeLoader.needsNetwork(list) == false)
        let fromList = try await loader.load(list)
        #expect(fromList.failures.isEmpty)
        #expect(fromList.documents.map(\.source) == ["a.txt"])
        let fromFolder = try await loader.load(folder)
        #expect(fromFolder.failures.isEmpty, "\(fromFolder.failures)")
        #expect(fromFolder.documents.map(\.source) == ["a.txt", "saved.html"])
    }
}
