image "debian" {
  bootstrap { suite = "bookworm" }
  publish {
    s3       = "https://bucket/prefix"
    endpoint = "localhost:9000"
    registry = "https://registry.example.com/Team/Image:latest"
    name     = "my image"
    tags     = ["ok", "not ok"]
    publc    = true
  }
}
