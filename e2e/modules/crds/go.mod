module portfolio-infra/e2e/modules/crds

go 1.26.0

require (
	github.com/cert-manager/cert-manager v1.21.2 // indirect
	istio.io/api v1.31.4 // indirect
)
