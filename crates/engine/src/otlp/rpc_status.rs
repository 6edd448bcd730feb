//! `google.rpc.Status`, the body OTLP/HTTP servers answer failures with (in the request's encoding).

use prost::Message;

#[derive(Clone, PartialEq, Message)]
pub struct RpcStatus {
    #[prost(int32, tag = "1")]
    pub code: i32,
    #[prost(string, tag = "2")]
    pub message: String,
}

impl RpcStatus {
    /// gRPC code INVALID_ARGUMENT, used for undecodable payloads.
    pub const INVALID_ARGUMENT: i32 = 3;
    /// gRPC code RESOURCE_EXHAUSTED, used for oversized payloads.
    pub const RESOURCE_EXHAUSTED: i32 = 8;
    /// gRPC code UNAVAILABLE, used when the store cannot take writes.
    pub const UNAVAILABLE: i32 = 14;
    /// gRPC code UNIMPLEMENTED, used for unsupported media types.
    pub const UNIMPLEMENTED: i32 = 12;
    /// gRPC code INTERNAL.
    pub const INTERNAL: i32 = 13;

    pub fn to_json(&self) -> String {
        serde_json::json!({ "code": self.code, "message": self.message }).to_string()
    }
}
