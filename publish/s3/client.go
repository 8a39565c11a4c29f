package s3

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// defaultRegion is used when the AWS chain names none: S3-compatible servers
// accept any region, and AWS needs one to sign.
const defaultRegion = "us-east-1"

// client is an S3 client with the secrets it signs with, kept only to scrub
// them from errors.
type client struct {
	s3      *s3.Client
	secrets []string
}

// newClient loads credentials and region through the standard AWS chain
// (environment, shared config and credentials files, the profile named in
// o.Profile or AWS_PROFILE, SSO, the instance role) and points the client at
// o.Endpoint when set. A custom endpoint, from the flag or from
// AWS_ENDPOINT_URL(_S3) or the config file, uses path-style addressing,
// which every S3-compatible server understands.
func newClient(ctx context.Context, o Options) (*client, error) {
	var load []func(*config.LoadOptions) error
	if o.Profile != "" {
		load = append(load, config.WithSharedConfigProfile(o.Profile))
	}
	load = append(load, config.WithRetryMaxAttempts(o.retries()))
	if o.httpClient != nil {
		load = append(load, config.WithHTTPClient(o.httpClient))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("loading aws configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = defaultRegion
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading aws credentials: %w", err)
	}
	c := s3.NewFromConfig(cfg, func(so *s3.Options) {
		if o.Endpoint != "" {
			so.BaseEndpoint = aws.String(o.Endpoint)
		}
		if so.BaseEndpoint != nil {
			so.UsePathStyle = true
		}
		so.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
	})
	return &client{s3: c, secrets: []string{creds.SecretAccessKey, creds.SessionToken}}, nil
}
