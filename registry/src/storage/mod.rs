//! Blob storage: the one trait with several implementations (local directory, S3).
