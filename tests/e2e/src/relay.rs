//! A TCP relay in front of moto that a test can cut, at once or after a number of bytes have
//! gone up to S3, and restore: an S3 outage in the middle of an upload that, unlike stopping
//! moto (whose objects live only in memory), keeps the bucket exactly as S3 would.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct State {
    cut: AtomicBool,
    /// Bytes sent towards S3 since the last `cut_after`.
    sent: AtomicU64,
    /// Cut once `sent` passes this; `u64::MAX` when not armed.
    cut_at: AtomicU64,
    open: Mutex<Vec<TcpStream>>,
}

impl State {
    fn cut_now(&self) {
        self.cut.store(true, SeqCst);
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

pub struct Relay {
    pub port: u16,
    state: Arc<State>,
}

impl Relay {
    /// Relays 127.0.0.1:<new port> to 127.0.0.1:`target`.
    pub fn to(target: u16) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(State::default());
        state.cut_at.store(u64::MAX, SeqCst);
        let accepting = state.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if accepting.cut.load(SeqCst) {
                    continue; // dropped: the caller sees the connection closed
                }
                let Ok(upstream) = TcpStream::connect(("127.0.0.1", target)) else {
                    continue;
                };
                {
                    let mut open = accepting.open.lock().unwrap();
                    open.push(client.try_clone().unwrap());
                    open.push(upstream.try_clone().unwrap());
                }
                let up = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
                let counted = accepting.clone();
                std::thread::spawn(move || pipe(up.0, up.1, Some(counted)));
                std::thread::spawn(move || pipe(upstream, client, None));
            }
        });
        Relay { port, state }
    }

    /// Closes every connection and refuses new ones until [`Relay::restore`].
    pub fn cut(&self) {
        self.state.cut_now();
    }

    /// Cuts as soon as `bytes` more have been sent towards S3.
    pub fn cut_after(&self, bytes: u64) {
        self.state.sent.store(0, SeqCst);
        self.state.cut_at.store(bytes, SeqCst);
    }

    pub fn restore(&self) {
        self.state.cut_at.store(u64::MAX, SeqCst);
        self.state.cut.store(false, SeqCst);
    }
}

/// Copies `from` to `to` until either closes; counts towards a cut when `state` is given.
fn pipe(mut from: TcpStream, mut to: TcpStream, state: Option<Arc<State>>) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if let Some(state) = &state {
            let sent = state.sent.fetch_add(n as u64, SeqCst) + n as u64;
            if sent >= state.cut_at.load(SeqCst) {
                state.cut_now();
                break;
            }
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}
