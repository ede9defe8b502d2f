pub mod pg;
pub mod tools;
