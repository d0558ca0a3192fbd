import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One console request without any of the real client's checks, for ConsoleIT (run as a
 * single-file program by another user): {@code java RawConsoleRequest.java <socket> <line>}.
 * Prints the answer and "status N".
 */
public class RawConsoleRequest {
    public static void main(String[] args) throws Exception {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(args[0]));
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
            byte[] line = args[1].getBytes(StandardCharsets.UTF_8);
            out.writeByte(1);
            out.writeInt(line.length);
            out.write(line);
            out.flush();
            DataInputStream in = new DataInputStream(Channels.newInputStream(c));
            byte[] answer = in.readNBytes(in.readInt());
            System.out.print(new String(answer, StandardCharsets.UTF_8));
            System.out.println("status " + in.readInt());
        }
    }
}
