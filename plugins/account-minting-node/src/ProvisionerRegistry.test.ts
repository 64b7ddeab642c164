import { ProvisionerRegistry } from './ProvisionerRegistry';
import { Provisioner } from './provisioner';

const provisioner = (name: string): Provisioner => ({
  name,
  provision: async () => ({ name }),
});

describe('ProvisionerRegistry', () => {
  it('finds provisioners by name and lists them in order', () => {
    const registry = new ProvisionerRegistry();
    const terraform = provisioner('terraform');
    registry.add(terraform, provisioner('command'));

    expect(registry.get('terraform')).toBe(terraform);
    expect(registry.names()).toEqual(['command', 'terraform']);
  });

  it('refuses a second provisioner with a name already taken', () => {
    const registry = new ProvisionerRegistry();
    registry.add(provisioner('helm'));
    expect(() => registry.add(provisioner('helm'))).toThrow(
      'provisioner name: helm is registered twice',
    );
  });

  it('refuses names that config could not refer to', () => {
    const registry = new ProvisionerRegistry();
    expect(() =>
      registry.add(provisioner('helm'), provisioner('Argo CD')),
    ).toThrow('provisioner name: "Argo CD" must start with a letter');
    expect(registry.names()).toEqual([]);
  });

  it('says which provisioners exist when one is missing', () => {
    const registry = new ProvisionerRegistry();
    registry.add(provisioner('command'));
    expect(() => registry.get('terraform')).toThrow(
      'provisioner "terraform" is not registered; registered: command',
    );
  });
});
