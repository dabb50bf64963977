// Command go-client resolves a service that etcd-agent registered, through etcd's own gRPC resolver
// (go.etcd.io/etcd/clientv3/naming/resolver), and calls its method matrix.Values/Get with the chosen
// load-balancing policy, printing each reply on a line: -calls times, or with -until-servers N until
// replies from N different servers have come (a call every 10 ms, for at most -within).
//
// Built by the integration suite in GOPATH mode from Debian's golang-etcd-server-dev and
// golang-google-grpc-dev: GO111MODULE=off GOPATH=/usr/share/gocode go build -o go-client main.go
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"regexp"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/clientv3/naming/resolver"
	"google.golang.org/grpc"
)

// rawCodec sends and receives the method's UTF-8 text as it is: the Java side has no protobuf either.
type rawCodec struct{}

func (rawCodec) Marshal(v interface{}) ([]byte, error) { return *v.(*[]byte), nil }

func (rawCodec) Unmarshal(data []byte, v interface{}) error {
	*v.(*[]byte) = append([]byte(nil), data...)
	return nil
}

func (rawCodec) Name() string { return "raw" }

func main() {
	endpoints := flag.String("endpoints", "http://127.0.0.1:2379", "etcd client URL")
	target := flag.String("target", "etcd:////service/b", "gRPC target: etcd:/// followed by the service key")
	policy := flag.String("policy", "round_robin", "load-balancing policy: round_robin or pick_first")
	calls := flag.Int("calls", 10, "how many calls to make")
	untilServers := flag.Int("until-servers", 0, "instead of -calls: call until this many different servers have answered")
	within := flag.Duration("within", 20*time.Second, "with -until-servers: how long to keep calling")
	flag.Parse()

	etcd, err := clientv3.New(clientv3.Config{Endpoints: []string{*endpoints}, DialTimeout: 5 * time.Second})
	if err != nil {
		fail("etcd client: %v", err)
	}
	defer etcd.Close()
	etcdResolver, err := resolver.NewBuilder(etcd)
	if err != nil {
		fail("etcd resolver: %v", err)
	}
	conn, err := grpc.Dial(*target, grpc.WithResolvers(etcdResolver), grpc.WithInsecure(),
		grpc.WithDefaultServiceConfig(fmt.Sprintf(`{"loadBalancingPolicy":%q}`, *policy)))
	if err != nil {
		fail("dial %s: %v", *target, err)
	}
	defer conn.Close()

	servers := map[string]bool{}
	start := time.Now()
	for i := 0; more(i, *calls, len(servers), *untilServers, time.Since(start), *within); i++ {
		if *untilServers > 0 && i > 0 {
			time.Sleep(10 * time.Millisecond)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		request, reply := []byte{}, []byte{}
		err := conn.Invoke(ctx, "/matrix.Values/Get", &request, &reply,
			grpc.ForceCodec(rawCodec{}), grpc.WaitForReady(true))
		cancel()
		if err != nil {
			fail("call %d to %s: %v", i+1, *target, err)
		}
		fmt.Println(string(reply))
		servers[serverOf.FindString(string(reply))] = true
	}
}

// more tells whether to make another call.
func more(done, calls, servers, untilServers int, elapsed, within time.Duration) bool {
	if untilServers > 0 {
		return servers < untilServers && elapsed < within
	}
	return done < calls
}

// serverOf finds the answering server's port in a reply of matrix.Values/Get.
var serverOf = regexp.MustCompile(`server=\d+`)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "go-client: "+format+"\n", args...)
	os.Exit(1)
}
