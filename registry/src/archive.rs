//! Hostile-input archive handling: reproducible pack, safe inspect, sha256.
