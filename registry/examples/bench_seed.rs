//! Benchmark fixture: seeds an index with synthetic releases and prints a read token.
//!
//! `cargo run --release --example bench_seed -- DATA_DIR MODULES VERSIONS`
//! Modules are `bench{i % 50}/module-{i:06}/aws`, versions `1.{j}.0`.

use registry::auth::create_token;
use registry::index::Index;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, modules, versions] = args.as_slice() else {
        anyhow::bail!("usage: bench_seed DATA_DIR MODULES VERSIONS_PER_MODULE");
    };
    std::fs::create_dir_all(dir)?;
    let index = Index::open(&std::path::Path::new(dir).join("index.sqlite3"))?;
    let n = index.seed_synthetic(modules.parse()?, versions.parse()?)?;
    eprintln!("seeded {n} releases");
    let (_, token) = create_token(&index, ["read"], "benchmark", "bench")?;
    println!("{token}");
    Ok(())
}
