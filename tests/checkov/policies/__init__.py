"""modreg custom checkov policies (CKV_MODREG_*), loaded with --external-checks-dir.

checkov imports every module of this package: Python resource checks register themselves on
import; YAML graph checks in this directory are picked up by checkov's graph-check loader.
"""
from os.path import basename, dirname, isfile, join
import glob

__all__ = [basename(f)[:-3] for f in glob.glob(join(dirname(__file__), "*.py")) if isfile(f) and not f.endswith("__init__.py")]
