"""A `copyjob-emulator` process for the client tests, and a small independent client that reads
back what it holds."""

import base64
import json
import os
import subprocess
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "workspace"
WORKSPACE_ID = "5a1c0de0-0000-4000-8000-00000000c1cd"
WORKSPACE_NAME = "Deployments"


def launch(*args):
    """Starts `copyjob-emulator ARGS` (the binary in $COPYJOB_EMULATOR, else target/debug) and
    returns the process and the URL it printed once listening."""
    binary = os.environ.get("COPYJOB_EMULATOR") or str(ROOT / "target" / "debug" / "copyjob-emulator")
    process = subprocess.Popen([binary, *args], stdout=subprocess.PIPE, text=True)
    url = process.stdout.readline().strip()
    if not url.startswith("http://"):
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()
        raise RuntimeError(f"the emulator did not start: {url!r}")
    return process, url


class Emulator:
    """A `copyjob-emulator` process on a free loopback port, and a small client that reads what
    it holds (retrying 429s after Retry-After and following long-running operations)."""

    def __init__(self, token, *args):
        self.process, self.url = launch("--port", "0", "--token", token,
                                        "--workspace", f"{WORKSPACE_ID}={WORKSPACE_NAME}", *args)
        self.session = requests.Session()
        self.public_url = args[args.index("--public-url") + 1] if "--public-url" in args else None
        self.session.trust_env = False
        self.session.headers["Authorization"] = f"Bearer {token}"

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.process.stdout.close()
        self.session.close()

    def call(self, method, url, body=None):
        url = url if url.startswith("http") else f"{self.url}/v1/workspaces/{WORKSPACE_ID}{url}"
        url = url.replace(self.public_url, self.url) if self.public_url else url
        for _ in range(100):
            r = self.session.request(method, url, json=body)
            if r.status_code == 429:
                time.sleep(int(r.headers["Retry-After"]))
                continue
            if r.status_code == 202:
                return self.wait(r.headers["Location"])
            r.raise_for_status()
            return r.json() if r.content else None
        raise AssertionError(f"{method} {url} kept being throttled")

    def wait(self, operation):
        for _ in range(100):
            state = self.call("GET", operation)
            if state["status"] == "Succeeded":
                return self.call("GET", f"{operation}/result")
            if state["status"] == "Failed":
                raise AssertionError(f"operation failed: {state}")
            time.sleep(0.2)
        raise AssertionError("the operation did not end")

    def pages(self, path):
        values, url = [], path
        while url:
            page = self.call("GET", url)
            values.extend(page["value"])
            url = page.get("continuationUri")
        return values

    def definitions(self, workspace_id):
        """Each item of a workspace by display name: its id and its definition's parts, decoded."""
        items = {}
        for item in self.pages(f"{self.url}/v1/workspaces/{workspace_id}/items"):
            url = f"{self.url}/v1/workspaces/{workspace_id}/items/{item['id']}/getDefinition"
            parts = {p["path"]: base64.b64decode(p["payload"])
                     for p in self.call("POST", url)["definition"]["parts"]}
            items[item["displayName"]] = {"id": item["id"], "parts": parts}
        return items

    def holds(self):
        """What the emulator holds, in the shape `repository()` reads a repository folder."""
        folders = {f["id"]: f for f in self.pages("/folders")}

        def path(folder_id):
            parts = []
            while folder_id:
                parts.append(folders[folder_id]["displayName"])
                folder_id = folders[folder_id].get("parentFolderId")
            return "/".join(reversed(parts))

        items = {}
        for item in self.pages("/items"):
            assert item["type"] == "CopyJob", item
            parts = {p["path"]: base64.b64decode(p["payload"])
                     for p in self.call("POST", f"/items/{item['id']}/getDefinition")["definition"]["parts"]}
            platform = json.loads(parts[".platform"])
            items[item["displayName"]] = {
                "description": item["description"],
                "folder": path(item.get("folderId")),
                "content": parts["copyjob-content.json"],
                "platform": {"description": platform["metadata"].get("description", ""),
                             "logicalId": platform["config"]["logicalId"]},
            }
        return {"folders": sorted(path(f) for f in folders), "items": items}
