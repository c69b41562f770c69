"""The Fabric CLI (`fab`, ms-fabric-cli, pinned in requirements.txt) against the emulator.

fab reaches only `https://api.fabric.microsoft.com` and trusts only tokens signed with keys that
`login.microsoftonline.com` publishes, so the test puts both on loopback (`fabric_hosts.py`: a CA
of its own, an HTTPS proxy, a signing key) and starts the emulator with
`--public-url https://api.fabric.microsoft.com` so that the `Location` headers it writes lead back
through the proxy. Every command runs as a real `fab` process; after each one the test reads what
the emulator holds directly.

Run by tests/clients/run.sh (which creates the venv and builds the emulator).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from emulator import EXAMPLES, WORKSPACE_NAME, Emulator
from fabric_hosts import EMULATOR_ARGS, FABRIC_AUDIENCE, FabricHosts

WS = f"{WORKSPACE_NAME}.Workspace"


class FabricCli(unittest.TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="fab-"))
        self.addCleanup(shutil.rmtree, self.folder)
        hosts = FabricHosts(self.folder)
        self.addCleanup(hosts.close)
        token = hosts.token(FABRIC_AUDIENCE)  # the only token the emulator accepts
        self.emulator = Emulator(token, *EMULATOR_ARGS)
        self.addCleanup(self.emulator.close)
        hosts.emulator_port = int(self.emulator.url.rsplit(":", 1)[1])
        self.env = {k: v for k, v in os.environ.items() if k.upper() not in ("NO_PROXY", "HTTP_PROXY", "ALL_PROXY")}
        # COLUMNS: fab's tables print each row on one line instead of wrapping it at 80 columns.
        self.env.update(hosts.env(token), HOME=str(self.folder / "home"), COLUMNS="250")
        self.fab_bin = str(Path(sys.executable).with_name("fab"))

    def fab(self, *args):
        r = subprocess.run([self.fab_bin, *args], env=self.env, capture_output=True, text=True, timeout=300,
                           stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, f"fab {' '.join(args)}\n{r.stdout}\n{r.stderr}")
        return r.stdout

    def items(self):
        return {i["displayName"]: i for i in self.emulator.pages("/items")}

    def content(self, name):
        return self.emulator.holds()["items"][name]["content"]

    def test_ls_mkdir_import_get_export_set_rm(self):
        source = self.folder / "repo" / "Sales.CopyJob"
        shutil.copytree(EXAMPLES / "Sales.CopyJob", source)
        self.assertIn(WS, self.fab("ls"))
        # ls -l: the workspace with its capacity's name and region, which fab looks up in
        # GET /capacities by the capacityId the workspace reports.
        workspace = self.emulator.call("GET", "")
        row = next(line for line in self.fab("ls", "-l").splitlines() if line.startswith(WS))
        for value in (workspace["id"], workspace["capacityId"], workspace["capacityRegion"], "Emulator capacity"):
            self.assertIn(value, row)

        # mkdir: a folder, and a Copy job inside it.
        self.fab("mkdir", f"{WS}/Team.Folder")
        folders = self.emulator.pages("/folders")
        self.assertEqual([f["displayName"] for f in folders], ["Team"])
        self.fab("mkdir", f"{WS}/Team.Folder/Nightly.CopyJob")
        self.assertEqual(self.items()["Nightly"].get("folderId"), folders[0]["id"])
        self.assertIn("Nightly.CopyJob", self.fab("ls", f"{WS}/Team.Folder"))

        # import (create) an item folder; get; export it back (fab re-indents the JSON it writes).
        self.fab("import", f"{WS}/Sales.CopyJob", "-i", str(source), "-f")
        self.assertEqual(self.content("Sales"), (source / "copyjob-content.json").read_bytes())
        listing = self.fab("ls", f"{WS}", "-l")
        self.assertIn("Sales.CopyJob", listing)
        self.assertIn(self.items()["Sales"]["id"], listing)
        # Without a terminal, get prints the paths of what it read: the item, its definition
        # (getDefinition) and its connections.
        got = self.fab("get", f"{WS}/Sales.CopyJob", "-f").split()
        for path in ("displayName", "definition.parts[0].payload.properties", "connections"):
            self.assertIn(path, got)
        out = self.folder / "export"
        out.mkdir()
        self.fab("export", f"{WS}/Sales.CopyJob", "-o", str(out), "-f")
        self.assertEqual(json.loads((out / "Sales.CopyJob" / "copyjob-content.json").read_bytes()),
                         json.loads((source / "copyjob-content.json").read_bytes()))

        # set a property; import again (updateDefinition).
        self.fab("set", f"{WS}/Sales.CopyJob", "-q", "description", "-i", "Changed by fab", "-f")
        self.assertEqual(self.items()["Sales"]["description"], "Changed by fab")
        self.assertEqual(self.fab("get", f"{WS}/Sales.CopyJob", "-q", "description", "-f").strip(), "Changed by fab")
        changed = (source / "copyjob-content.json").read_bytes().replace(b'"Overwrite"', b'"Append"')
        self.assertNotEqual(changed, (source / "copyjob-content.json").read_bytes())
        (source / "copyjob-content.json").write_bytes(changed)
        self.fab("import", f"{WS}/Sales.CopyJob", "-i", str(source), "-f")
        self.assertEqual(self.content("Sales"), changed)

        # rm: the items, then the folder, now empty.
        self.fab("rm", f"{WS}/Sales.CopyJob", "-f")
        self.fab("rm", f"{WS}/Team.Folder/Nightly.CopyJob", "-f")
        self.fab("rm", f"{WS}/Team.Folder", "-f")
        self.assertEqual(self.items(), {})
        self.assertEqual(self.emulator.pages("/folders"), [])


if __name__ == "__main__":
    unittest.main()
