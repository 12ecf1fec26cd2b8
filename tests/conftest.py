"""Put tests/ on the import path so test modules can share `cases`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
