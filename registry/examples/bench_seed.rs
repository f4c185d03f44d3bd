//! Benchmark fixture: seeds an index with synthetic releases and prints a read token.
//!
//! `cargo run --release --example bench_seed -- DATA_DIR MODULES VERSIONS`
//! Modules are `bench{i % 50}/module-{i:06}/aws`, versions `1.{j}.0`.

use registry::auth_store::create_token;
use registry::index::Index;
use registry::storage::LocalStore;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, modules, versions] = args.as_slice() else {
        anyhow::bail!("usage: bench_seed DATA_DIR MODULES VERSIONS_PER_MODULE");
    };
    std::fs::create_dir_all(dir)?;
    let index = Index::open(&std::path::Path::new(dir).join("index.sqlite3"))?;
    let n = index.seed_synthetic(modules.parse()?, versions.parse()?)?;
    eprintln!("seeded {n} releases");
    // The data dir's own store, as `modreg serve` with local storage reads it.
    let store = LocalStore::new(std::path::Path::new(dir).join("blobs"));
    let created = create_token(&store, Some(&index), ["read"], "benchmark", "bench");
    let (_, token) = tokio::runtime::Runtime::new()?.block_on(created)?;
    println!("{token}");
    Ok(())
}
