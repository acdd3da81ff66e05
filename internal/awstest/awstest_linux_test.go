package awstest

import (
	"bufio"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// holdServersEnv makes TestHelperHoldServers act as the test binary that
// dies without calling Stop.
const holdServersEnv = "AWSTEST_HOLD_SERVERS"

func TestServersDieWithTestBinary(t *testing.T) {
	helper := exec.Command(os.Args[0], "-test.run=^TestHelperHoldServers$", "-test.count=1")
	helper.Env = append(os.Environ(), holdServersEnv+"=1")
	stdout, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		helper.Process.Kill()
		helper.Wait()
	})

	var announced []string
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if rest, ok := strings.CutPrefix(lines.Text(), "servers "); ok {
			announced = strings.Fields(rest)
			break
		}
	}
	if len(announced) != 3 {
		t.Fatalf("helper process announced %v, want two endpoints and a directory (scan err %v)", announced, lines.Err())
	}
	endpoints, s3DataDir := announced[:2], announced[2]
	// Killed, the helper cannot remove s3rver's data itself.
	t.Cleanup(func() { os.RemoveAll(s3DataDir) })
	for _, endpoint := range endpoints {
		if !accepts(endpoint) {
			t.Fatalf("%s does not accept connections while the helper process lives", endpoint)
		}
	}

	if err := helper.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	helper.Wait()

	// The kernel delivers the servers' parent-death signal as the helper
	// dies; the deadline only keeps a broken build from hanging.
	deadline := time.Now().Add(30 * time.Second)
	for _, endpoint := range endpoints {
		for accepts(endpoint) {
			if time.Now().After(deadline) {
				t.Fatalf("%s still accepts connections after its test binary was killed", endpoint)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func accepts(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

// TestHelperHoldServers is the test binary killed by
// TestServersDieWithTestBinary: it announces the servers its TestMain
// started and waits to be killed.
func TestHelperHoldServers(t *testing.T) {
	if os.Getenv(holdServersEnv) != "1" {
		t.Skip("runs only as TestServersDieWithTestBinary's helper process")
	}
	fmt.Printf("servers %s %s %s\n", testServers.DynamoDBEndpoint(), testServers.S3Endpoint(), testServers.s3DataDir)
	time.Sleep(2 * time.Minute)
}
