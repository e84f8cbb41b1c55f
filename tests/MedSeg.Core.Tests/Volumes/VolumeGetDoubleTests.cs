using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Volumes;

public class VolumeGetDoubleTests
{
    [Fact]
    public void SignedAndUnsignedBuffers_AreReadWithTheirOwnSign()
    {
        Assert.Equal(-1, new Volume(1, 1, 1, new sbyte[] { -1 }).GetDouble(0));
        Assert.Equal(255, new Volume(1, 1, 1, new byte[] { 255 }).GetDouble(0));
        Assert.Equal(65535, new Volume(1, 1, 1, new ushort[] { 65535 }).GetDouble(0));
        Assert.Equal(-32768, new Volume(1, 1, 1, new short[] { -32768 }).GetDouble(0));
    }
}
