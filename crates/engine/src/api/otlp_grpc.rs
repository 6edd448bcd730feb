//! The OTLP/gRPC receiver (port 4317): the three collector services generated in
//! `opentelemetry-proto`, feeding the same `Ingestor` as OTLP/HTTP. gzip-compressed requests are
//! accepted (Gemini CLI compresses its gRPC exports).

use crate::engine::Engine;
use crate::error::{ErrorCode, HasErrorCode};
use crate::ingest::{IngestError, IngestReport};
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
}

fn to_status(error: IngestError) -> Status {
    match error.code() {
        ErrorCode::Unavailable => Status::unavailable(error.to_string()),
        _ => Status::internal(error.to_string()),
    }
}

impl GrpcReceiver {
    async fn ingest(&self, request: ExportRequest) -> Result<IngestReport, Status> {
        self.engine.ingestor().ingest(request).await.map_err(to_status)
    }
}

#[tonic::async_trait]
impl TraceService for GrpcReceiver {
    async fn export(&self, request: Request<ExportTraceServiceRequest>) -> Result<Response<ExportTraceServiceResponse>, Status> {
        let report = self.ingest(ExportRequest::Traces(request.into_inner())).await?;
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
        let report = self.ingest(ExportRequest::Metrics(request.into_inner())).await?;
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
        let report = self.ingest(ExportRequest::Logs(request.into_inner())).await?;
        Ok(Response::new(ExportLogsServiceResponse {
            partial_success: (report.rejected > 0).then(|| ExportLogsPartialSuccess {
                rejected_log_records: report.rejected,
                error_message: report.rejection_message.unwrap_or_default(),
            }),
        }))
    }
}

/// The gRPC server with the three services, ready to serve on a listener.
pub fn grpc_server(engine: Engine, max_message_bytes: usize) -> tonic::transport::server::Router {
    let receiver = GrpcReceiver { engine };
    tonic::transport::Server::builder()
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
        )
}
