/** Amazon S3: the service definition and the HTTP handler that speaks its REST/XML protocol. */
export { handleS3Request } from './http';
export { s3Service } from './service';
