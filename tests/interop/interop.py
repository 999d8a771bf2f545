"""What the Python interop scripts share: the conference `serve` printed, steps that go on after
a failure (each failure names the request serve last saw, from its journal), and a last look at
the journal's verdict on every request the library sent. Only the standard library is used here.
"""

import base64
import json
import sys
import traceback
import urllib.request


class Space:
    """The account, conference and participants of the LAML_* lines serve printed."""

    def __init__(self, base, env_file):
        env = dict(l.strip().split("=", 1) for l in open(env_file) if l.startswith("LAML_"))
        self.base = base
        self.account, self.token = env["LAML_PROJECT_ID"], env["LAML_API_TOKEN"]
        self.conference = env["LAML_CONFERENCE_SID"]
        self.names = dict(p.split("=") for p in env["LAML_PARTICIPANTS"].split(","))

    def journal(self):
        request = urllib.request.Request(self.base + "/__laml/journal")
        basic = base64.b64encode(f"{self.account}:{self.token}".encode()).decode()
        request.add_header("Authorization", "Basic " + basic)
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)["requests"]


class Steps:
    """`@steps("name")` runs the function under it at once; a failure is printed and the run goes
    on, so one defect does not hide the steps after it. `done()` exits 1 if any step failed."""

    def __init__(self, library, space):
        self.library, self.space, self.failed, self.passed = library, space, [], []
        print(f"== {library}")

    def __call__(self, name):
        def run(fn):
            try:
                fn()
                self.passed.append(name)
                print(f"   ok    {name}")
            except Exception as e:  # noqa: BLE001: any failure of a step is reported, then the next runs
                self.failed.append(name)
                frames = traceback.extract_tb(e.__traceback__)
                script = frames[min(1, len(frames) - 1)].filename  # frames[0] is this call of fn
                where = [f for f in frames if f.filename == script][-1]
                print(f"   FAIL  {name}: {type(e).__name__}: {e}  (line {where.lineno}: {where.line})")
                try:
                    last = self.space.journal()[-1]
                    print(f"         last request serve saw: {last['method']} {last['path']} {last['body']!r} -> {last['status']}")
                except Exception:  # noqa: BLE001
                    pass
            return fn
        return run

    def journal_clean(self, refused):
        """Every request the library sent is one the journal finds nothing to say about, but for
        those the script had refused on purpose (`refused`: bodies)."""

        @self("every request the library sent is as documented (the journal's verdict)")
        def _():
            entries = self.space.journal()
            assert entries, "the journal is empty"
            for entry in entries:
                if entry["body"] in refused:
                    assert entry["status"] == 400, entry
                    continue
                assert not entry["deviations"], entry

    def done(self):
        total = len(self.passed) + len(self.failed)
        if self.failed:
            print(f"   {self.library}: {len(self.failed)} of {total} steps FAILED: {', '.join(self.failed)}")
            sys.exit(1)
        print(f"   {self.library}: all {total} steps passed")
