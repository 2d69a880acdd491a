"""Loopback HTTP server for tests: serves a folder, and fails on purpose under two prefixes.

  /cut/<path>      sends the full Content-Length header but only half of the body, then closes
  anything missing 404
  /w/api.php?...   a fake MediaWiki API: with action=query, prop=extracts, explaintext=1,
                   redirects=1 and format=json it serves w/api/<titles>.json (404 when absent);
                   any other parameters get 400

Listens on 127.0.0.1 at a port the system chooses, and writes that port to the file named by
its second argument once it is ready.
"""
import http.server
import os
import signal
import sys
from urllib.parse import parse_qs, quote, urlsplit

WIKI_PARAMETERS = {"action": "query", "prop": "extracts", "explaintext": "1", "redirects": "1", "format": "json"}


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/w/api.php":
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            title = query.pop("titles", "")
            if query != WIKI_PARAMETERS or not title:
                self.send_error(400, "unexpected parameters: " + url.query)
                return
            self.path = "/w/api/" + quote(title, safe="") + ".json"
        if self.path.startswith("/cut/"):
            path = self.translate_path(self.path[len("/cut"):])
            if not os.path.isfile(path):
                self.send_error(404)
                return
            data = open(path, "rb").read()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


def main():
    # A child may inherit a blocked signal mask from its parent's threads; take signals normally.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    root = sys.argv[1]
    handler = lambda *args, **kwargs: Handler(*args, directory=root, **kwargs)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    with open(sys.argv[2] + ".tmp", "w") as out:
        out.write(str(server.server_address[1]))
    os.replace(sys.argv[2] + ".tmp", sys.argv[2])
    server.serve_forever()


main()
