//! Delivery to an OTLP/gRPC destination: the queued protobuf body is decoded into the signal's
//! export request and sent through the OTLP collector services, with the configured headers as
//! metadata (keys lowercased, as gRPC requires). `https://` URLs use TLS with the system's roots
//! plus the configured extra certificates.
//!
//! Status codes follow the OTLP specification: `UNAVAILABLE`, `CANCELLED`, `DEADLINE_EXCEEDED`,
//! `RESOURCE_EXHAUSTED`, `ABORTED`, `OUT_OF_RANGE` and `DATA_LOSS` are retried; any other error
//! means the destination will never take the request.

use super::sender::Outcome;
use crate::otlp::Signal;
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::logs::v1::logs_service_client::LogsServiceClient;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::metrics_service_client::MetricsServiceClient;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_client::TraceServiceClient;
use prost::Message;
use std::time::Duration;
use tonic::metadata::{MetadataKey, MetadataValue};
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};
use tonic::{Code, Status};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A lazily connected channel to `url` (it connects on the first send and reconnects after a failure).
pub fn channel(url: &str, extra_roots: Option<&[u8]>, timeout: Duration) -> Result<Channel, String> {
    let mut endpoint = Endpoint::from_shared(url.to_owned())
        .map_err(|error| format!("not a gRPC URL: {error}"))?
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(timeout);
    if url.starts_with("https://") {
        let mut tls = ClientTlsConfig::new().with_native_roots();
        if let Some(pem) = extra_roots {
            tls = tls.ca_certificate(Certificate::from_pem(pem));
        }
        endpoint = endpoint.tls_config(tls).map_err(|error| format!("cannot use TLS for {url}: {error}"))?;
    }
    Ok(endpoint.connect_lazy())
}

fn request_with_headers<T>(message: T, headers: &[(String, String)]) -> Result<tonic::Request<T>, String> {
    let mut request = tonic::Request::new(message);
    for (name, value) in headers {
        let key =
            MetadataKey::from_bytes(name.to_ascii_lowercase().as_bytes()).map_err(|_| format!("{name} is not a gRPC metadata key"))?;
        let value = MetadataValue::try_from(value.as_str()).map_err(|_| format!("the value of {name} is not valid gRPC metadata"))?;
        request.metadata_mut().insert(key, value);
    }
    Ok(request)
}

fn retryable(code: Code) -> bool {
    matches!(
        code,
        Code::Unavailable
            | Code::Cancelled
            | Code::DeadlineExceeded
            | Code::ResourceExhausted
            | Code::Aborted
            | Code::OutOfRange
            | Code::DataLoss
    )
}

fn outcome_of(result: Result<(), Status>) -> Outcome {
    match result {
        Ok(()) => Outcome::Sent,
        Err(status) => {
            let message = format!("gRPC {:?}: {}", status.code(), status.message().chars().take(200).collect::<String>());
            if retryable(status.code()) { Outcome::Failed(message) } else { Outcome::Refused(message) }
        }
    }
}

/// Sends one queued body (OTLP protobuf of `signal`).
pub async fn send(channel: &Channel, headers: &[(String, String)], signal: Signal, body: &[u8]) -> Outcome {
    let sent = match signal {
        Signal::Traces => match ExportTraceServiceRequest::decode(body) {
            Ok(message) => match request_with_headers(message, headers) {
                Ok(request) => TraceServiceClient::new(channel.clone()).export(request).await.map(drop),
                Err(message) => return Outcome::Refused(message),
            },
            Err(error) => return Outcome::Refused(format!("the queued request is not OTLP protobuf: {error}")),
        },
        Signal::Metrics => match ExportMetricsServiceRequest::decode(body) {
            Ok(message) => match request_with_headers(message, headers) {
                Ok(request) => MetricsServiceClient::new(channel.clone()).export(request).await.map(drop),
                Err(message) => return Outcome::Refused(message),
            },
            Err(error) => return Outcome::Refused(format!("the queued request is not OTLP protobuf: {error}")),
        },
        Signal::Logs => match ExportLogsServiceRequest::decode(body) {
            Ok(message) => match request_with_headers(message, headers) {
                Ok(request) => LogsServiceClient::new(channel.clone()).export(request).await.map(drop),
                Err(message) => return Outcome::Refused(message),
            },
            Err(error) => return Outcome::Refused(format!("the queued request is not OTLP protobuf: {error}")),
        },
    };
    outcome_of(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_become_lowercase_metadata() {
        let request = request_with_headers((), &[("Authorization".to_owned(), "Bearer aio_1".to_owned())]).unwrap();
        assert_eq!(request.metadata().get("authorization").unwrap(), "Bearer aio_1");
        assert!(request_with_headers((), &[("bad key".to_owned(), "x".to_owned())]).is_err());
    }

    #[test]
    fn only_transient_codes_are_retried() {
        assert!(matches!(outcome_of(Err(Status::unavailable("down"))), Outcome::Failed(_)));
        assert!(matches!(outcome_of(Err(Status::resource_exhausted("busy"))), Outcome::Failed(_)));
        assert!(matches!(outcome_of(Err(Status::unauthenticated("token"))), Outcome::Refused(_)));
        assert!(matches!(outcome_of(Err(Status::invalid_argument("bad"))), Outcome::Refused(_)));
        assert!(matches!(outcome_of(Ok(())), Outcome::Sent));
    }
}
