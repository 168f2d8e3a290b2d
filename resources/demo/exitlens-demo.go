// exitlens-demo is the bundled demo program for newcomers: a small
// "inventory service" that logs its start-up to stderr, then loads
// config.json from the working directory. When the file is missing (the
// usual case) it stops with log.Fatalf("cannot start: ...") and exit code 1,
// which is exactly the kind of exit ExitLens explains (failed openat of
// config.json, ENOENT, followed by the fatal log line). With a valid
// config.json it prints the configuration and "would listen on ..." and exits
// 0; it never opens a socket or starts a server.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

const (
	serviceName    = "inventory-service"
	serviceVersion = "1.4.2"
	configFile     = "config.json"
)

// Config is the service configuration stored in config.json.
type Config struct {
	Listen   string `json:"listen"`   // address for the HTTP API, e.g. "127.0.0.1:8080"
	DataDir  string `json:"data_dir"` // where the inventory database lives
	MaxItems int    `json:"max_items,omitempty"`
}

func loadConfig(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	cfg := &Config{Listen: "127.0.0.1:8080", DataDir: "data", MaxItems: 10000}
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	if cfg.Listen == "" {
		return nil, fmt.Errorf("%s: listen address must not be empty", path)
	}
	if cfg.DataDir == "" {
		return nil, fmt.Errorf("%s: data_dir must not be empty", path)
	}
	return cfg, nil
}

func main() {
	log.Printf("%s %s starting", serviceName, serviceVersion)
	log.Printf("loading configuration from %s", configFile)

	cfg, err := loadConfig(configFile)
	if err != nil {
		log.Fatalf("cannot start: %v", err)
	}

	dataDir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		log.Fatalf("cannot start: %v", err)
	}
	fmt.Printf("configuration:\n  listen:    %s\n  data_dir:  %s\n  max_items: %d\n",
		cfg.Listen, dataDir, cfg.MaxItems)
	// A real service would now open the inventory database and call
	// http.ListenAndServe(cfg.Listen, handler). The demo stops here so that
	// running it is always safe.
	fmt.Printf("would listen on %s (demo mode: no server started)\n", cfg.Listen)
}
