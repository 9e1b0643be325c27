package main

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/alecthomas/kingpin/v2"
	"golang.org/x/mod/sumdb/note"

	"github.com/ceasefired/ceasefired/cmd/ceasefired/internal/daemon"
	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor/evidence"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// evidenceOptions are the flags of the evidence commands.
type evidenceOptions struct {
	configFile, storagePath string
	trial, out              string
	publicKey               string // a verifier key file; "" takes the bundle's or the store's
	dir, older, newer       string
	list                    bool // evidence audit prints every leaf
}

// evidenceCommands are the evidence subcommands, by full command name.
type evidenceCommands struct {
	o                                          evidenceOptions
	pubkey, export, verify, consistency, audit *kingpin.CmdClause
}

func addEvidenceCommands(app *kingpin.Application) *evidenceCommands {
	c := &evidenceCommands{}
	o := &c.o
	cmd := app.Command("evidence", "Signed evidence: the public key, bundles and their checks, consistency of checkpoints.")
	storeFlags := func(cc *kingpin.CmdClause) {
		cc.Flag("config.file", "Configuration file (names the key).").Default("ceasefired.yml").StringVar(&o.configFile)
		cc.Flag("storage.path", "Folder of the state database.").Default("data/").StringVar(&o.storagePath)
	}
	c.pubkey = cmd.Command("pubkey", "Print the public key that signs the evidence checkpoints.")
	storeFlags(c.pubkey)
	c.export = cmd.Command("export", "Write a trial's violations and incidents, with inclusion proofs to a newly signed checkpoint, to a folder.")
	storeFlags(c.export)
	c.export.Flag("trial", "Trial whose evidence is exported.").Required().StringVar(&o.trial)
	c.export.Flag("out", "Folder to write the bundle to (created; must not hold a bundle).").Required().StringVar(&o.out)
	c.verify = cmd.Command("verify", "Check a bundle: signature, every inclusion proof, every record against its leaf.")
	c.verify.Flag("public-key", "File holding the public key to trust (default: the bundle's own pubkey file, which only shows the bundle is consistent).").StringVar(&o.publicKey)
	c.verify.Arg("dir", "The bundle folder.").Required().ExistingDirVar(&o.dir)
	c.consistency = cmd.Command("consistency", "Prove from the stored log that the checkpoint NEW extends the checkpoint OLD.")
	storeFlags(c.consistency)
	c.consistency.Flag("public-key", "File holding the public key to trust (default: that of the configured key).").StringVar(&o.publicKey)
	c.consistency.Arg("old", "The older signed checkpoint.").Required().ExistingFileVar(&o.older)
	c.consistency.Arg("new", "The newer signed checkpoint.").Required().ExistingFileVar(&o.newer)
	c.audit = cmd.Command("audit", "Check the stored log: every leaf against its record, the root, and the latest signed checkpoint.")
	storeFlags(c.audit)
	c.audit.Flag("public-key", "File holding the public key to trust (default: that of the configured key).").StringVar(&o.publicKey)
	c.audit.Flag("list", "Also print every leaf, one per line: index, kind, leaf hash and its quoted encoding.").BoolVar(&o.list)
	return c
}

// run runs the evidence command cmd, if it is one, and returns its exit
// code and whether it was one.
func (c *evidenceCommands) run(cmd string, stdout, stderr io.Writer) (int, bool) {
	var err error
	switch cmd {
	case c.pubkey.FullCommand():
		err = evidencePubkey(c.o, stdout)
	case c.export.FullCommand():
		err = evidenceExport(context.Background(), c.o, stdout)
	case c.verify.FullCommand():
		err = evidenceVerify(c.o, stdout)
	case c.consistency.FullCommand():
		err = evidenceConsistency(context.Background(), c.o, stdout)
	case c.audit.FullCommand():
		err = evidenceAudit(context.Background(), c.o, stdout)
	default:
		return 0, false
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return 1, true
	}
	return 0, true
}

// signerOf reads the signer key the daemon uses with the config file.
func signerOf(o evidenceOptions) (note.Signer, string, error) {
	cfg, err := configs.Load(o.configFile)
	if err != nil {
		return nil, "", fmt.Errorf("load config:\n%w", err)
	}
	path := daemon.EvidenceKeyFile(cfg, o.storagePath)
	s, vkey, err := evidence.ReadSigner(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", fmt.Errorf("%w (the daemon makes it at its first start)", err)
	}
	return s, vkey, err
}

func evidencePubkey(o evidenceOptions, stdout io.Writer) error {
	_, vkey, err := signerOf(o)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, vkey)
	return err
}

func evidenceVerify(o evidenceOptions, stdout io.Writer) error {
	keyFile := o.publicKey
	if keyFile == "" {
		keyFile = o.dir + string(os.PathSeparator) + evidence.PublicKeyFile
	}
	v, err := evidence.ReadVerifier(keyFile)
	if err != nil {
		return err
	}
	c, m, err := evidence.VerifyDir(o.dir, v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "bundle of trial %q verifies: %d violations, %d incidents, %d retractions, %d versions in the log of %d leaves signed by %s\n",
		m.Trial, m.Violations, m.Incidents, m.Retractions, m.Versions, c.Size, v.Name())
	return err
}

func evidenceConsistency(ctx context.Context, o evidenceOptions, stdout io.Writer) error {
	v, err := trustedVerifier(o)
	if err != nil {
		return err
	}
	older, err := os.ReadFile(o.older)
	if err != nil {
		return err
	}
	newer, err := os.ReadFile(o.newer)
	if err != nil {
		return err
	}
	oc, err := evidence.OpenCheckpoint(older, v)
	if err != nil {
		return fmt.Errorf("older: %w", err)
	}
	nc, err := evidence.OpenCheckpoint(newer, v)
	if err != nil {
		return fmt.Errorf("newer: %w", err)
	}
	if nc.Size < oc.Size {
		return fmt.Errorf("the newer checkpoint has %d leaves, fewer than the older's %d", nc.Size, oc.Size)
	}
	db, err := store.Open(o.storagePath, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	log := db.Evidence(ctx)
	size, err := log.Size()
	if err != nil {
		return err
	}
	if nc.Size > size {
		return fmt.Errorf("the newer checkpoint has %d leaves, the stored log only %d", nc.Size, size)
	}
	proof, err := evidence.ProveExtension(log, nc.Size, oc.Size)
	if err != nil {
		return err
	}
	if _, _, err := evidence.VerifyConsistency(older, newer, proof, v); err != nil {
		return err
	}
	lines := make([]string, len(proof))
	for i, h := range proof {
		lines[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	_, err = fmt.Fprintf(stdout, "the checkpoint of %d leaves extends the one of %d; consistency proof:\n%s\n",
		nc.Size, oc.Size, strings.Join(lines, "\n"))
	return err
}
