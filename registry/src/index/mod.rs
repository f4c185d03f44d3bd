//! The SQLite catalogue: every read path is answered from it.
