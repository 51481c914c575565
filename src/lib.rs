#![doc = include_str!("../README.md")]

pub use toaster_core::*;
