"""What the Python benchmarks share: the binary, the test servers, SQL through MariaDB's socket,
config files for sites in a work directory of their own."""
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "harness", "links"))
from linklab import services_env, sh  # noqa: E402

BIN = os.environ.get("SALESYNC_BIN", os.path.join(ROOT, ".build/release/salesync"))
ENV = services_env()
SOCK = os.path.join(ROOT, ".state/mariadb/mariadb.sock")


def linkage(binary=BIN):
    """How the binary measured was linked: a command's start differs by some 30 ms between the two."""
    libs = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    if "libswiftCore" in libs:
        return "Swift runtime as shared libraries (not as packaged: scripts/package.sh links it in)"
    return "Swift runtime linked in, as the Debian package has it"


def workdir(prefix):
    """A tag for the run's databases and queues, and a private directory."""
    tag = prefix + "%04x" % random.getrandbits(16)
    return tag, tempfile.mkdtemp(prefix=f"salesync-{tag}-")


def sql(statements, db=None):
    """Runs `statements` as root; a failure ends the benchmark with MariaDB's message."""
    args = ["mariadb", "--protocol=socket", "-S", SOCK, "-uroot", "-N", "-B", "--local-infile=1"] + ([db] if db else [])
    r = sh(*args, input=statements + ";\n", check=False)
    if r.returncode != 0:
        raise SystemExit(f"SQL failed: {r.stderr.strip()}\n{statements[:300]}")
    return r.stdout


def write(directory, name, text):
    """A config file (0600: it names the password file) in `directory`; returns its path."""
    p = os.path.join(directory, name)
    with open(p, "w") as f:
        f.write(text)
    os.chmod(p, 0o600)
    return p


def site_config(directory, role, site, db, url, top="", more=""):
    """A site on the test servers: its database through the socket as root, the broker at `url`."""
    return f'''role = "{role}"
site = "{site}"
state_dir = "{directory}/state-{site}"
{top}
[database]
socket = "{SOCK}"
user = "root"
name = "{db}"
tables = ["product_sales"]

[rabbitmq]
url = "{url}"
password_file = "{ENV['SALESYNC_RABBIT_PASSWORD_FILE']}"
{more}'''
