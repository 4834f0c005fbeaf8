//! Trunk's entry point: everything happens in the library.

fn main() {
    getty_picker::start();
}
