//! The OTLP/gRPC receiver (port 4317): the three collector services generated in
//! `opentelemetry-proto`, feeding the same `Ingestor` as OTLP/HTTP. gzip-compressed requests are
//! accepted (Gemini CLI compresses its gRPC exports). Callers are checked as on OTLP/HTTP
//! (`guard::AccessPolicy::identify`, from the `authorization` metadata and the peer address).

use super::guard::{AccessPolicy, Caller};
use crate::engine::Engine;
use crate::error::{ErrorCode, HasErrorCode};
use crate::ingest::{IngestError, IngestReport};
use crate::model::Sender;
use crate::otlp::ExportRequest;
use opentelemetry_proto::tonic::collector::logs::v1::logs_service_server::{LogsService, LogsServiceServer};
use opentelemetry_proto::tonic::collector::logs::v1::{ExportLogsPartialSuccess, ExportLogsServiceRequest, ExportLogsServiceResponse};
use opentelemetry_proto::tonic::collector::metrics::v1::metrics_service_server::{MetricsService, MetricsServiceServer};
use opentelemetry_proto::tonic::collector::metrics::v1::{
    ExportMetricsPartialSuccess, ExportMetricsServiceRequest, ExportMetricsServiceResponse,
};
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{TraceService, TraceServiceServer};
use opentelemetry_proto::tonic::collector::trace::v1::{ExportTracePartialSuccess, ExportTraceServiceRequest, ExportTraceServiceResponse};
use tonic::codec::CompressionEncoding;
use tonic::{Request, Response, Status};

#[derive(Clone)]
pub struct GrpcReceiver {
    engine: Engine,
    policy: AccessPolicy,
}

fn to_status(error: IngestError) -> Status {
    match error.code() {
        ErrorCode::Unavailable => Status::unavailable(error.to_string()),
        _ => Status::internal(error.to_string()),
    }
}

impl GrpcReceiver {
    /// The machine a request's named token names; refuses invalid tokens and anonymous remote peers.
    fn sender_of<T>(&self, request: &Request<T>) -> Result<Option<Sender>, Status> {
        let authorization = request.metadata().get("authorization").and_then(|value| value.to_str().ok());
        let peer_is_loopback = request.remote_addr().is_none_or(|address| address.ip().is_loopback());
        match self.policy.identify(authorization, self.policy.admits_anonymous(peer_is_loopback)) {
            Ok(Caller::Machine(sender)) => Ok(Some(sender)),
            Ok(_) => Ok(None),
            Err(refusal) => Err(Status::unauthenticated(refusal.message)),
        }
    }

    async fn ingest<T>(&self, request: Request<T>, wrap: impl FnOnce(T) -> ExportRequest) -> Result<IngestReport, Status> {
        let sender = self.sender_of(&request)?;
        let request = wrap(request.into_inner());
        let copy = self.engine.forwards().then(|| request.clone());
        let report = self.engine.ingestor().ingest_from(request, sender).await.map_err(to_status)?;
        if let Some(copy) = copy {
            self.engine.forward(copy);
        }
        Ok(report)
    }
}

#[tonic::async_trait]
impl TraceService for GrpcReceiver {
    async fn export(&self, request: Request<ExportTraceServiceRequest>) -> Result<Response<ExportTraceServiceResponse>, Status> {
        let report = self.ingest(request, ExportRequest::Traces).await?;
        Ok(Response::new(ExportTraceServiceResponse {
            partial_success: (report.rejected > 0).then(|| ExportTracePartialSuccess {
                rejected_spans: report.rejected,
                error_message: report.rejection_message.unwrap_or_default(),
            }),
        }))
    }
}

#[tonic::async_trait]
impl MetricsService for GrpcReceiver {
    async fn export(&self, request: Request<ExportMetricsServiceRequest>) -> Result<Response<ExportMetricsServiceResponse>, Status> {
        let report = self.ingest(request, ExportRequest::Metrics).await?;
        Ok(Response::new(ExportMetricsServiceResponse {
            partial_success: (report.rejected > 0).then(|| ExportMetricsPartialSuccess {
                rejected_data_points: report.rejected,
                error_message: report.rejection_message.unwrap_or_default(),
            }),
        }))
    }
}

#[tonic::async_trait]
impl LogsService for GrpcReceiver {
    async fn export(&self, request: Request<ExportLogsServiceRequest>) -> Result<Response<ExportLogsServiceResponse>, Status> {
        let report = self.ingest(request, ExportRequest::Logs).await?;
        Ok(Response::new(ExportLogsServiceResponse {
            partial_success: (report.rejected > 0).then(|| ExportLogsPartialSuccess {
                rejected_log_records: report.rejected,
                error_message: report.rejection_message.unwrap_or_default(),
            }),
        }))
    }
}

/// The gRPC server with the three services, ready to serve on a listener.
pub fn grpc_server(
    engine: Engine,
    policy: AccessPolicy,
    max_message_bytes: usize,
    tls: Option<&super::tls::TlsMaterial>,
) -> Result<tonic::transport::server::Router, super::ServeError> {
    let receiver = GrpcReceiver { engine, policy };
    let mut builder = tonic::transport::Server::builder();
    if let Some(tls) = tls {
        let identity = tonic::transport::Identity::from_pem(&tls.cert_pem, &tls.key_pem);
        builder = builder
            .tls_config(tonic::transport::ServerTlsConfig::new().identity(identity))
            .map_err(|error| super::ServeError::Tls { cert: String::new(), key: String::new(), message: format!("gRPC: {error}") })?;
    }
    Ok(builder
        .add_service(
            TraceServiceServer::new(receiver.clone())
                .accept_compressed(CompressionEncoding::Gzip)
                .max_decoding_message_size(max_message_bytes),
        )
        .add_service(
            MetricsServiceServer::new(receiver.clone())
                .accept_compressed(CompressionEncoding::Gzip)
                .max_decoding_message_size(max_message_bytes),
        )
        .add_service(
            LogsServiceServer::new(receiver).accept_compressed(CompressionEncoding::Gzip).max_decoding_message_size(max_message_bytes),
        ))
}
